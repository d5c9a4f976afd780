// A CloudFront Function (runtime cloudfront-js-2.0) on the web app's viewer requests; the
// stack deploys this file as it is, and test/cdk/web-app.test.ts runs it against sample events.
//
// The app routes in the browser (/tasks/123, /auth/callback), and S3 holds no such objects: a
// path whose last segment has no file extension is a route, so CloudFront fetches /index.html
// for it and the app's router reads the address bar. A path with an extension is a file and
// goes to S3 unchanged, so a missing script or image stays an error (403 from the private
// bucket) instead of an HTML page served as JavaScript. The query string is left alone: the
// sign-in callback's ?code=...&state=... reaches the app.
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- CloudFront calls it by name
function handler(event) {
  var request = event.request;
  var lastSegment = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}
