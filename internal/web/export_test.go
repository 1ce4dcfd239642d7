package web

// ParamFormats exposes the path parameter checks to the route tests.
var ParamFormats = paramFormats
