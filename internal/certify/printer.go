package certify

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/chromedp/chromedp"

	"muster/internal/apperr"
)

// Printer prints HTML documents to PDF with headless Chromium, the one
// renderer found that shapes Persian and keeps text extractable in reading
// order. One browser is started on first use and shared; each document gets
// its own tab, and at most Tabs print at once.
type Printer struct {
	path    string
	tabs    chan struct{}
	timeout time.Duration

	mu      sync.Mutex
	browser context.Context
	stop    context.CancelFunc
}

// NewPrinter returns a printer driving the Chromium binary at path with at
// most tabs documents printing at once.
func NewPrinter(path string, tabs int) *Printer {
	return &Printer{path: path, tabs: make(chan struct{}, max(tabs, 1)), timeout: 45 * time.Second}
}

// Available reports whether the Chromium binary exists.
func (p *Printer) Available() bool {
	if p == nil {
		return false
	}
	_, err := os.Stat(p.path)
	return err == nil
}

// Print renders an HTML document to PDF. Without Chromium it answers
// pdf_unavailable.
func (p *Printer) Print(ctx context.Context, html []byte) ([]byte, error) {
	if !p.Available() {
		return nil, apperr.New(CodePDFUnavailable)
	}
	select {
	case p.tabs <- struct{}{}:
		defer func() { <-p.tabs }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	browser, err := p.start()
	if err != nil {
		return nil, err
	}
	tab, closeTab := chromedp.NewContext(browser)
	defer closeTab()
	tctx, cancel := context.WithTimeout(tab, p.timeout)
	defer cancel()
	// The request's end closes the tab; the browser stays for the next one.
	defer context.AfterFunc(ctx, cancel)()
	url := "data:text/html;charset=utf-8;base64," + base64.StdEncoding.EncodeToString(html)
	if err := chromedp.Do(tctx, chromedp.Navigate(url)); err != nil {
		return nil, p.failed(err)
	}
	// Fonts load asynchronously even from the system; print only once they have.
	if _, err := chromedp.Run(tctx, chromedp.Evaluate[bool](`document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
		return nil, p.failed(err)
	}
	pdf, err := chromedp.Run(tctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground(), chromedp.PDFMargin(0)))
	if err != nil {
		return nil, p.failed(err)
	}
	return pdf, nil
}

// start launches the shared browser, or returns the running one.
func (p *Printer) start() (context.Context, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.browser != nil && p.browser.Err() == nil {
		return p.browser, nil
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), BrowserOptions(p.path)...)
	bctx, bcancel := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil {
		bcancel()
		acancel()
		e := apperr.New(CodePDFUnavailable)
		e.Err = fmt.Errorf("start Chromium %s: %w", p.path, err)
		return nil, e
	}
	p.browser, p.stop = bctx, func() { bcancel(); acancel() }
	return bctx, nil
}

// failed drops a browser that died so the next document starts a new one.
func (p *Printer) failed(err error) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.browser != nil && p.browser.Err() != nil {
		p.stop()
		p.browser, p.stop = nil, nil
	}
	return fmt.Errorf("print PDF: %w", err)
}

// Close stops the browser.
func (p *Printer) Close() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stop != nil {
		p.stop()
		p.browser, p.stop = nil, nil
	}
}

// BrowserOptions start a headless Chromium fit for a server or a test: no
// sandbox (servers and CI containers often run as root), no GPU, and none of
// the background traffic a closed network refuses.
func BrowserOptions(path string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
	}
}
