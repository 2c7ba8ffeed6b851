/**
 * The report page's only script: hover details, zoom into a directory (with a breadcrumb back), the
 * colour toggle, and the layer table highlighting its layer. The treemap is drawn without it.
 * Compiled on its own and inlined into the page; it imports nothing.
 */
(() => {
  interface Box {
    x: number;
    y: number;
    width: number;
    height: number;
    layer: number;
    path: string;
    parent: number;
  }
  const svg = document.querySelector<SVGSVGElement>('svg.treemap');
  const tip = document.getElementById('tip');
  const crumbs = document.getElementById('crumbs');
  const data = document.getElementById('treemap-boxes');
  if (!svg || !tip || !crumbs || !data) return;
  const boxes = JSON.parse(data.textContent ?? '[]') as Box[];
  const full = svg.getAttribute('viewBox') ?? '';

  const bytes = (n: number) => {
    const units = ['B', 'kB', 'MB', 'GB', 'TB'];
    let value = n;
    let unit = 0;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    return `${unit === 0 ? value : value.toPrecision(3)} ${units[unit]}`;
  };

  svg.addEventListener('mousemove', (event) => {
    const cell = (event.target as Element).closest('rect.cell');
    if (!(cell instanceof SVGRectElement)) {
      tip.hidden = true;
      return;
    }
    const d = cell.dataset;
    const files = Number(d.files ?? '1');
    const lines = [
      files > 1 ? `${files} files under ${d.path}` : (d.path ?? ''),
      `${bytes(Number(d.size ?? '0'))} · layer ${d.layer} · ${d.status}`,
    ];
    if (d.package) lines.push(`package ${d.package}`);
    tip.textContent = lines.join('\n');
    tip.hidden = false;
    tip.style.left = `${event.pageX + 14}px`;
    tip.style.top = `${event.pageY + 14}px`;
  });
  svg.addEventListener('mouseleave', () => {
    tip.hidden = true;
  });

  const zoom = (index: number) => {
    const box = boxes[index];
    svg.setAttribute('viewBox', box ? `${box.x} ${box.y} ${box.width} ${box.height}` : full);
    crumbs.replaceChildren();
    const trail: number[] = [];
    for (let at = index; at >= 0 && boxes[at]; at = boxes[at]!.parent) trail.unshift(at);
    const link = (label: string, target: number) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = label;
      button.addEventListener('click', () => zoom(target));
      crumbs.append(button);
    };
    link('image', -1);
    for (const at of trail) {
      const b = boxes[at]!;
      link(b.parent < 0 ? `layer ${b.layer}` : b.path, at);
    }
  };
  svg.addEventListener('click', (event) => {
    const cell = (event.target as Element).closest('rect.cell');
    if (cell instanceof SVGRectElement) zoom(Number(cell.dataset.dir ?? '-1'));
  });

  const toggle = document.getElementById('colour-by');
  toggle?.addEventListener('change', (event) => {
    document.body.dataset.colour = (event.target as HTMLSelectElement).value;
  });

  for (const row of document.querySelectorAll<HTMLTableRowElement>('tr[data-layer]')) {
    row.addEventListener('mouseenter', () => svg.setAttribute('data-focus', row.dataset.layer ?? ''));
    row.addEventListener('mouseleave', () => svg.removeAttribute('data-focus'));
  }
  document.body.dataset.ready = 'true';
})();
