// The API docs: Swagger UI over /openapi.json, sending this session's CSRF token.
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  var csrf = root.dataset.csrfToken;
  window.SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    domNode: root,
    requestInterceptor: function (request) {
      if (csrf) {
        request.headers["X-CSRF-Token"] = csrf;
      }
      return request;
    },
  });
});
