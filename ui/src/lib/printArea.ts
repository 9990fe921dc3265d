// The pages of a PDF laid out as images in the print area, drawn by pdf.js: what the page's print
// styles leave on the sheet.

/** Dots per inch the pages are drawn at: sharp on an office printer, light enough for the page. */
const PRINT_DPI = 200;

function printArea(): HTMLElement {
  let area = document.getElementById("print-area");
  if (!area) {
    area = document.createElement("div");
    area.id = "print-area";
    document.body.append(area);
  }
  return area;
}

/** Draws each page of the PDF (base64) into the print area, replacing what was there. */
export async function layOutForPrint(pdf: string, title: string): Promise<number> {
  // The legacy build: it runs on every webview the app supports (the modern one needs WebKit 17.4+).
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const worker = await import("pdfjs-dist/legacy/build/pdf.worker.min.mjs?url");
  pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
  const data = Uint8Array.from(atob(pdf), (c) => c.charCodeAt(0));
  const doc = await pdfjs.getDocument({ data, isEvalSupported: false }).promise;
  const pages: HTMLImageElement[] = [];
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const viewport = page.getViewport({ scale: PRINT_DPI / 72 });
      const canvas = document.createElement("canvas");
      canvas.width = Math.ceil(viewport.width);
      canvas.height = Math.ceil(viewport.height);
      await page.render({ canvas, viewport }).promise;
      const img = document.createElement("img");
      img.src = canvas.toDataURL("image/png");
      canvas.width = canvas.height = 0; // its 15 MB go now, not when the collector comes by
      img.alt = `${title}, page ${n} of ${doc.numPages}`;
      await img.decode(); // a page goes to the printer drawn, never blank
      pages.push(img);
    }
  } finally {
    await doc.destroy();
  }
  printArea().replaceChildren(...pages);
  return pages.length;
}
