// A Recharts chart as a PNG: its SVG is copied with the styles the page's theme computed for each
// element written into the copy (the SVG names colours as CSS variables, which an image drawn on
// its own cannot resolve), drawn onto a canvas at twice its size, with the title above and the
// legend (HTML beside the SVG) below.

const STYLE_PROPERTIES = ["fill", "stroke", "stroke-width", "stroke-dasharray", "stroke-opacity", "fill-opacity", "opacity", "font-family", "font-size", "font-weight"];
const SCALE = 2;
const TITLE_HEIGHT = 32;
const LEGEND_HEIGHT = 28;
const PADDING = 16;

export interface LegendEntry {
  label: string;
  color: string;
}

function inlineStyles(original: Element, copy: Element) {
  const computed = getComputedStyle(original);
  const style = STYLE_PROPERTIES.map((property) => `${property}:${computed.getPropertyValue(property)}`).join(";");
  copy.setAttribute("style", style);
  for (let index = 0; index < original.children.length; index++) inlineStyles(original.children[index]!, copy.children[index]!);
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error("The chart could not be drawn as an image."));
    image.src = url;
  });
}

/** A CSS colour (a variable, oklch(), anything) as the canvas can use it. */
function resolveColor(color: string, within: Element): string {
  const probe = document.createElement("span");
  probe.style.color = color;
  within.appendChild(probe);
  const resolved = getComputedStyle(probe).color;
  probe.remove();
  return resolved;
}

export async function chartPng(figure: HTMLElement, title: string, legend: LegendEntry[]): Promise<Blob> {
  // The chart's own surface, not one of the legend's icons (which are surfaces too).
  const svg = [...figure.querySelectorAll("svg.recharts-surface")].find((surface) => !surface.closest(".recharts-legend-wrapper"));
  if (!(svg instanceof SVGSVGElement)) throw new Error("There is no chart to export yet.");
  const { width, height } = svg.getBoundingClientRect();
  const copy = svg.cloneNode(true) as SVGSVGElement;
  inlineStyles(svg, copy);
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  copy.setAttribute("width", String(width));
  copy.setAttribute("height", String(height));
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(copy)], { type: "image/svg+xml" }));
  try {
    const image = await loadImage(url);
    const canvas = document.createElement("canvas");
    canvas.width = (width + 2 * PADDING) * SCALE;
    canvas.height = (height + TITLE_HEIGHT + LEGEND_HEIGHT + 2 * PADDING) * SCALE;
    const context = canvas.getContext("2d")!;
    context.scale(SCALE, SCALE);
    const figureStyle = getComputedStyle(figure);
    context.fillStyle = figureStyle.backgroundColor;
    context.fillRect(0, 0, canvas.width, canvas.height);
    const font = figureStyle.fontFamily;
    context.fillStyle = figureStyle.color;
    context.font = `600 14px ${font}`;
    context.textBaseline = "middle";
    context.fillText(title, PADDING, PADDING + TITLE_HEIGHT / 2);
    context.drawImage(image, PADDING, PADDING + TITLE_HEIGHT, width, height);
    context.font = `12px ${font}`;
    let x = PADDING;
    const y = PADDING + TITLE_HEIGHT + height + LEGEND_HEIGHT / 2;
    for (const entry of legend) {
      context.strokeStyle = resolveColor(entry.color, figure);
      context.lineWidth = 2;
      context.beginPath();
      context.moveTo(x, y);
      context.lineTo(x + 16, y);
      context.stroke();
      context.fillText(entry.label, x + 22, y);
      x += 22 + context.measureText(entry.label).width + 20;
    }
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("The chart could not be drawn as an image."))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Saves a blob the page made as a file, as a link with `download` would. */
export function saveBlob(blob: Blob, fileName: string) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}
