// Starts GraphiQL on the page the API serves at its GraphQL address. A file of its own,
// not an inline script: the page's Content-Security-Policy runs only this origin's files.
(function () {
  "use strict";
  var root = document.getElementById("graphiql");
  document.body.style.margin = "0";
  root.style.height = "100vh";
  var missing = ["React", "ReactDOM", "GraphiQL"].filter(function (name) {
    return !window[name];
  });
  if (missing.length) {
    root.textContent =
      "GraphiQL could not start: " + missing.join(", ") +
      " did not load from this server. Reload the page; if this persists, the server's " +
      "GraphiQL files are incomplete (run `make graphiql` where the server runs).";
    return;
  }
  // GraphiQL's dialogs add a <style> element; the page's policy admits it by this nonce.
  window.__webpack_nonce__ = root.dataset.styleNonce;
  var url = new URL(window.location.pathname, window.location.href);
  var socket = new URL(url.href);
  socket.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  var fetcher = GraphiQL.createFetcher({ url: url.href, subscriptionUrl: socket.href });
  var element = React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultEditorToolsVisibility: true,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
    inputValueDeprecation: true,
  });
  ReactDOM.createRoot(root).render(element);
})();
