import "./unanswered_requests";
import "./report_filters";
