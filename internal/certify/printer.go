package certify

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"muster/internal/apperr"
)

// Printer prints HTML documents to PDF with headless Chromium, the one
// renderer found that shapes Persian and keeps text extractable in reading
// order. One browser is started on first use and shared. Its tabs stay open
// between documents: a tab that has printed once has its fonts loaded and
// its renderer running, so the next document only replaces the page's
// content. At most Tabs documents print at once; the others wait.
type Printer struct {
	path    string
	tabs    chan struct{} // one slot per document printing
	idle    chan *tab     // warm tabs waiting for the next document
	timeout time.Duration

	mu      sync.Mutex
	browser context.Context
	stop    context.CancelFunc
}

// tab is an open page of the shared browser.
type tab struct {
	browser context.Context // the browser it belongs to
	ctx     context.Context
	close   context.CancelFunc
	frame   cdp.FrameID // its main frame, whose content each document replaces
}

// NewPrinter returns a printer driving the Chromium binary at path with at
// most tabs documents printing at once.
func NewPrinter(path string, tabs int) *Printer {
	tabs = max(tabs, 1)
	return &Printer{path: path, tabs: make(chan struct{}, tabs), idle: make(chan *tab, tabs), timeout: 45 * time.Second}
}

// Available reports whether the Chromium binary exists.
func (p *Printer) Available() bool {
	if p == nil {
		return false
	}
	_, err := os.Stat(p.path)
	return err == nil
}

// documentReady waits for the fonts and every image (the QR code, the seal)
// of the new content: both load asynchronously even from data: URIs.
const documentReady = `Promise.all([document.fonts.ready,
 ...Array.from(document.images, i => i.decode().catch(() => null))]).then(() => true)`

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
	t, err := p.take()
	if err != nil {
		return nil, err
	}
	tctx, cancel := context.WithTimeout(t.ctx, p.timeout)
	defer cancel()
	// The request's end stops the document; the tab stays for the next one.
	defer context.AfterFunc(ctx, cancel)()
	pdf, err := chromedp.Run(tctx, func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		if _, err := chromedp.Call(ctx, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: t.frame, HTML: string(html)}); err != nil {
			return nil, err
		}
		// Evaluated in the page's current document, which the content swap has
		// just replaced (chromedp's Evaluate would wait for the old one's context).
		yes := true
		res, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: documentReady, AwaitPromise: &yes, ReturnByValue: &yes})
		if err != nil {
			return nil, err
		}
		if res.ExceptionDetails != nil {
			return nil, fmt.Errorf("waiting for the document: %s", res.ExceptionDetails.Text)
		}
		return chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground(), chromedp.PDFMargin(0))(ctx, tg)
	})
	if err != nil {
		t.close() // a tab that failed once is not trusted with the next document
		return nil, p.failed(err)
	}
	select {
	case p.idle <- t:
	default:
		t.close()
	}
	return pdf, nil
}

// take returns a warm tab of the running browser, or opens one.
func (p *Printer) take() (*tab, error) {
	browser, err := p.start()
	if err != nil {
		return nil, err
	}
	for {
		select {
		case t := <-p.idle:
			if t.browser == browser && t.ctx.Err() == nil {
				return t, nil
			}
			t.close() // of a browser that has been replaced
			continue
		default:
		}
		break
	}
	ctx, closeTab := chromedp.NewContext(browser)
	t := &tab{browser: browser, ctx: ctx, close: closeTab}
	// The tab lives as long as the context of the first call on it, so that
	// call opens it without a deadline; the ones after have one.
	if err := chromedp.Do(ctx); err != nil {
		closeTab()
		return nil, p.failed(err)
	}
	tctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	err = chromedp.Do(tctx, chromedp.Navigate("about:blank"), chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
		if err == nil {
			t.frame = tree.FrameTree.Frame.ID
		}
		return err
	}))
	if err != nil {
		closeTab()
		return nil, p.failed(err)
	}
	return t, nil
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
