// Package paging normalises list parameters and carries a page of results in
// the API's list shape.
package paging

// MaxPerPage is the largest page a client may ask for.
const MaxPerPage = 200

// DefaultPerPage is the page size when none is asked for.
const DefaultPerPage = 25

// Params are a list request's page and page size, 1-based.
type Params struct {
	Page    int `form:"page" json:"page"`
	PerPage int `form:"per_page" json:"per_page"`
}

// Normalize clamps Page to at least 1 and PerPage to 1..MaxPerPage.
func (p Params) Normalize() Params {
	if p.Page < 1 {
		p.Page = 1
	}
	switch {
	case p.PerPage < 1:
		p.PerPage = DefaultPerPage
	case p.PerPage > MaxPerPage:
		p.PerPage = MaxPerPage
	}
	return p
}

// Offset is the number of rows before the page.
func (p Params) Offset() int { return (p.Page - 1) * p.PerPage }

// Page is one page of results: {"items": [...], "total": N, "page": P, "per_page": K}.
type Page[T any] struct {
	Items   []T   `json:"items"`
	Total   int64 `json:"total"`
	Page    int   `json:"page"`
	PerPage int   `json:"per_page"`
}

// New builds a page; items is never nil so it encodes as [].
func New[T any](items []T, total int64, p Params) Page[T] {
	if items == nil {
		items = []T{}
	}
	return Page[T]{Items: items, Total: total, Page: p.Page, PerPage: p.PerPage}
}

// Pages is the number of pages, at least 1.
func (p Page[T]) Pages() int {
	if p.PerPage == 0 || p.Total == 0 {
		return 1
	}
	return int((p.Total + int64(p.PerPage) - 1) / int64(p.PerPage))
}

// HasNext reports whether a page follows.
func (p Page[T]) HasNext() bool { return p.Page < p.Pages() }

// HasPrev reports whether a page precedes.
func (p Page[T]) HasPrev() bool { return p.Page > 1 }

// All is a whole, unpaged list in the list shape: one page holding every item.
func All[T any](items []T) Page[T] {
	if items == nil {
		items = []T{}
	}
	return Page[T]{Items: items, Total: int64(len(items)), Page: 1, PerPage: len(items)}
}
