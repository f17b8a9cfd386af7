import "./unanswered_requests";
import "./awesomplete_status";
import "./report_filters";
import "./timeline_values";
import "./datetime_input";
import "./editor_labels";
import "./escaped_values";
import "./filter_conditions";
