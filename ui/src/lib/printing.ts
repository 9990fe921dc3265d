// Putting the brief or the service pack on paper from the app: the PDF the Rust side rendered is
// laid out page by page as images in the print area (pdf.js draws them), which the page's print
// styles leave alone on the sheet; then the system's print dialog opens over the window.
import { commands, type TripPaper } from "../bindings";
import { call } from "./call";
import { layOutForPrint } from "./printArea";

/** Renders the deal's brief or pack, lays it out, and opens the print dialog. */
export async function printTripPaper(deal: string, paper: TripPaper): Promise<{ title: string; pages: number; draft: boolean }> {
  const printable = await call(commands.pdfForPrint({ deal, paper }));
  await layOutForPrint(printable.pdf, printable.title);
  await call(commands.printWindow());
  return { title: printable.title, pages: printable.pages, draft: printable.draft };
}
