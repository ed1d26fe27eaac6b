// The citizen's signature, drawn with a finger (or stylus, or mouse) on a canvas. Pointer events
// cover all three; the strokes are kept so the drawing survives a rotation of the phone. Editing a
// capture shows its stored signature and keeps it byte for byte (the server compares photos by
// SHA-256) until the citizen signs again.

import { canvasBlob } from "./capture.js";

export class SignaturePad {
  constructor(canvas) {
    this.canvas = canvas;
    this.strokes = [];
    this.current = null;
    this.kept = null; // The stored signature's Blob while it is kept.
    this.keptImage = null;
    canvas.addEventListener("pointerdown", (event) => this.start(event));
    canvas.addEventListener("pointermove", (event) => this.move(event));
    canvas.addEventListener("pointerup", () => this.end());
    canvas.addEventListener("pointercancel", () => this.end());
    new ResizeObserver(() => this.resize()).observe(canvas);
  }

  get isEmpty() {
    return !this.kept && this.strokes.length === 0;
  }

  clear() {
    this.strokes = [];
    this.current = null;
    this.kept = null;
    this.keptImage?.close();
    this.keptImage = null;
    this.redraw();
  }

  /** Show a stored signature and keep it as it is. */
  async keep(blob) {
    this.clear();
    this.kept = blob;
    const image = await createImageBitmap(blob).catch(() => null);
    if (this.kept !== blob) {
      image?.close(); // Cleared or signed again meanwhile.
      return;
    }
    this.keptImage = image;
    this.redraw();
  }

  point(event) {
    const box = this.canvas.getBoundingClientRect();
    return [(event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height];
  }

  start(event) {
    event.preventDefault();
    if (this.kept) this.clear(); // Signing again replaces the stored signature.
    this.canvas.setPointerCapture(event.pointerId);
    this.current = [this.point(event)];
    this.strokes.push(this.current);
    this.redraw();
  }

  move(event) {
    if (!this.current) return;
    event.preventDefault();
    // Coalesced events give the fast finger movements the browser would otherwise drop.
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    for (const each of events.length ? events : [event]) this.current.push(this.point(each));
    this.redraw();
  }

  end() {
    this.current = null;
  }

  resize() {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.round(this.canvas.clientWidth * ratio);
    const height = Math.round(this.canvas.clientHeight * ratio);
    if (width && height && (width !== this.canvas.width || height !== this.canvas.height)) {
      this.canvas.width = width;
      this.canvas.height = height;
      this.redraw();
    }
  }

  // Points are stored as fractions of the box, so a redraw at any size keeps the signature's shape.
  redraw() {
    const { width, height } = this.canvas;
    const context = this.canvas.getContext("2d");
    context.fillStyle = "#fff";
    context.fillRect(0, 0, width, height);
    if (this.keptImage) context.drawImage(this.keptImage, 0, 0, width, height);
    context.strokeStyle = "#111";
    context.lineWidth = Math.max(2, width / 180);
    context.lineCap = "round";
    context.lineJoin = "round";
    for (const stroke of this.strokes) {
      context.beginPath();
      context.moveTo(stroke[0][0] * width, stroke[0][1] * height);
      for (const [x, y] of stroke.slice(1)) context.lineTo(x * width, y * height);
      if (stroke.length === 1) context.lineTo(stroke[0][0] * width + 0.1, stroke[0][1] * height);
      context.stroke();
    }
  }

  /** The signature as a PNG Blob (white background, so it reads the same in any viewer); the
   * stored one itself while it is kept. */
  toBlob() {
    return this.kept || canvasBlob(this.canvas, "image/png");
  }
}
