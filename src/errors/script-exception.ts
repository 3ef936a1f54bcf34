/** An exception the user's script threw, as reported (and counted) across threads. */
export interface ScriptException {
  /** The thrown error's own string `code` when it has one (e.g. 'ERR_INVALID_ARG_TYPE'), else 'E_SCRIPT_EXCEPTION'. */
  code: string;
  message: string;
  /** file:line:column in the user's source (source-mapped), when found. */
  location: string | undefined;
  stack: string | undefined;
}
