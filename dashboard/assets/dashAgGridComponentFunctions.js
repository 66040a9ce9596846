// Cell renderers for the dashboard's AG Grid tables (dash-ag-grid looks them up by name).
var dagcomponentfuncs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

// The athlete's name as a link to their page. React puts the name in as text, never as HTML.
dagcomponentfuncs.AthleteLink = function (props) {
  if (!props.data || !props.data.href) {
    return props.value;
  }
  return React.createElement("a", { href: props.data.href, className: "athlete-link" }, props.value);
};
