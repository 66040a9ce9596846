// Functions the dashboard's AG Grid column definitions name (dash-ag-grid looks them up by name).
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

// Risk sorts by severity (red, amber, green, then inactive), not alphabetically: rows carry risk_rank.
dagfuncs.riskOrder = function (valueA, valueB, nodeA, nodeB) {
  var a = nodeA && nodeA.data ? nodeA.data.risk_rank : 9;
  var b = nodeB && nodeB.data ? nodeB.data.risk_rank : 9;
  return a - b;
};
