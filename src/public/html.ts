/** `volley/html`: k6/html (`parseHTML`, Selection, Element). */
export { parseHTML, Selection, Element, type Attribute } from '../modules/html.js';
import { parseHTML } from '../modules/html.js';
export default { parseHTML };
