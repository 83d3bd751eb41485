/**
 * Where a context item opens: the view that shows it. A citation link and a chip both go there.
 */
import type { ContextItem } from '../../core/chat/context';
import { itemLabel } from '../../core/chat/render';

export function itemHref(item: ContextItem): string {
  const q = encodeURIComponent;
  switch (item.kind) {
    case 'patent': return `#/dashboard?patent=${q(item.id)}`;
    case 'section': return `#/dashboard?section=${q(item.id)}`;
    case 'pollutant': return `#/dashboard?pollutant=${q(item.id)}`;
    case 'sdg': return `#/dashboard?sdg=${q(item.id)}`;
    case 'code': return `#/space?code=${q(item.id)}`;
    // The Forecast view keeps no result to open a pair in: its pairs exist only after a run there.
    case 'forecast': return '#/forecast';
  }
}

/** One line naming the item, capitalised, for chips, link titles and screen readers. */
export function itemName(item: ContextItem): string {
  const label = itemLabel(item);
  return `${label.charAt(0).toUpperCase()}${label.slice(1)}`;
}
