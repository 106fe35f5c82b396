// Swagger UI on the document this runtime serves. "Try it out" calls this runtime: get a token
// with POST /_local/tokens and paste it under "Authorize".
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  tryItOutEnabled: false,
  persistAuthorization: true,
});
