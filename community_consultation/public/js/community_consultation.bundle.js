import "./unanswered_requests";
import "./report_filters";
import "./timeline_values";
import "./datetime_input";
