// The one action a lead can take back with a click: after an action that has a correction (a
// deal marked lost is reopened, an edit is written back, a holiday added is removed), the screen
// offers its undo here and the undo bar shows it. The undo is itself a new event with its reason,
// checked by the same rules as any action; nothing in the log is erased.
import { messageOf } from "./call";
import { session, type Route } from "./session.svelte";

export type UndoOffer = {
  /** What was just done, as the bar says it: "Marked “Kyoto” lost." */
  said: string;
  /** Records the correction. */
  run: () => Promise<unknown>;
  /** Shows what changed once it is recorded (a reload): its failure does not offer the undo again. */
  then?: () => Promise<unknown>;
};

/** The screen an offer belongs to: a deal's page, or a screen of the app. */
export function placeOf(route: Route): string {
  return route.screen === "deal" ? `deal:${route.id}` : route.screen;
}

class Undo {
  offer = $state<UndoOffer | null>(null);
  /** Where the offer was made: the bar shows it only there. */
  place = $state("");
  /** Set once the offer was taken: the bar says so until the next offer or a dismissal. */
  undone = $state<string | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);

  /** Offers to take back what was just done; replaces any earlier offer. */
  give(offer: UndoOffer, place = placeOf(session.route)) {
    this.offer = offer;
    this.place = place;
    this.undone = null;
    this.error = null;
  }

  /** Takes the offer: its correction is recorded, or the bar says why it was refused. */
  async take() {
    const offer = this.offer;
    if (!offer || this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      await offer.run();
      this.offer = null;
      this.undone = offer.said;
      await offer.then?.();
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.busy = false;
    }
  }

  drop() {
    this.offer = null;
    this.undone = null;
    this.error = null;
  }
}

export const undo = new Undo();

/** The reason an undo records: what it took back. */
export function undoReason(what: string): string {
  return `Undone right after: ${what}`;
}
