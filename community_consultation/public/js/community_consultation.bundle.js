import "./unanswered_requests";
import "./awesomplete_status";
import "./report_filters";
import "./timeline_values";
import "./datetime_input";
import "./editor_labels";
import "./filter_conditions";
import "./no_unit";
