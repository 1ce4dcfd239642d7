package web_test

import "net/url"

func parse(s string) (*url.URL, error) { return url.Parse(s) }
