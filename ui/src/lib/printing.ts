// Putting the brief or the service pack on paper from the app: the PDF the Rust side rendered is
// laid out page by page as images in the print area (pdf.js draws them), which the page's print
// styles leave alone on the sheet; then the system's print dialog opens over the window.
import { commands, type TripPaper } from "../bindings";
import { call } from "./call";
import { layOutForPrint } from "./printArea";

// One print at a time: a second waits until the first went to its dialog, so the print area never
// changes under a job.
let queue: Promise<unknown> = Promise.resolve();

/** Renders the deal's brief or pack, lays it out, and opens the print dialog. */
export function printTripPaper(deal: string, paper: TripPaper): Promise<{ title: string; pages: number; draft: boolean }> {
  const job = queue.catch(() => {}).then(async () => {
    const printable = await call(commands.pdfForPrint({ deal, paper }));
    await layOutForPrint(printable.pdf, printable.title);
    await call(commands.printWindow());
    return { title: printable.title, pages: printable.pages, draft: printable.draft };
  });
  queue = job;
  return job;
}
