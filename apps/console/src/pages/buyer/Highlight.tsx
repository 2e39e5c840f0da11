import { Fragment } from 'react';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" };

/** The text of an escaped fragment: the catalogue escapes `& < > " '` and nothing else. */
export function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, name: string) => ENTITIES[name]);
}

/**
 * A catalogue highlight (escaped HTML whose only markup is `<mark>…</mark>`, docs/catalog-search.md) rendered as
 * React text and `<mark>` elements, so nothing from a listing is ever parsed as HTML.
 */
export function Highlight({ html }: { html: string }) {
  const parts = html.split(/<mark>|<\/mark>/);
  // The split alternates outside/inside a mark: even pieces are plain, odd ones were marked.
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <mark key={i}>{unescapeHtml(part)}</mark>
        ) : (
          <Fragment key={i}>{unescapeHtml(part)}</Fragment>
        ),
      )}
    </>
  );
}
