/**
 * Which saxes well-formedness errors lose data, for the XML event stream. saxes reports each
 * problem as a message (`line:column: ` prefix removed here) and leaves the decision to the caller;
 * the messages are those of saxes 6, and the xml-events tests fail if a new version changes them.
 */

/** Problems that lose nothing: reading goes on without a word. */
const TOLERATED = new Set([
  'undefined entity.', // `&nbsp;` and other DTD entities (DTDs are not loaded): kept as written
  'malformed character entity.', // `&#xD800;`: kept as written
  'disallowed character.', // a control character in text (a `<` in an attribute value is handled apart)
  'text data outside of root node.', // text between concatenated documents
  'documents may contain only one root.', // documents concatenated without declarations
  'document must contain a root element.', // the reader reports a file without documents
  'inappropriately located doctype declaration.', // the DOCTYPE of a concatenated document
]);
/** Duplicate attributes: the last value wins. Unclosed tags at the end: the reader reports the truncation. */
const TOLERATED_PREFIXES = ['duplicate attribute:', 'unclosed tag:'];
/** What saxes says about end tags that do not match; the reader judges nesting itself. */
const END_TAG_COMPLAINTS = ['unexpected close tag.', 'unmatched closing tag:', 'weird empty close tag.'];

export function isTolerated(message: string): boolean {
  return TOLERATED.has(message) || TOLERATED_PREFIXES.some((prefix) => message.startsWith(prefix));
}

export function isEndTagComplaint(message: string): boolean {
  return END_TAG_COMPLAINTS.some((complaint) => message.startsWith(complaint));
}

/** The message for an error that costs data, in plainer words where saxes is terse. */
export function describeFatal(message: string, startTag: string | undefined): string {
  const text = message.replace(/\.$/, '');
  if (text === 'unexpected end') return 'the file ends inside a tag, comment or other markup';
  if (text === 'disallowed character in tag name') return 'stray "<" (not the start of a tag)';
  if (text.includes('entity name')) return 'unescaped "&" (not the start of an entity)';
  return startTag === undefined ? text : `malformed tag <${startTag}>: ${text}`;
}
