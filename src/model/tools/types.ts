/** What a tool execution sends back to the model as a `tool_result` block. */
export interface ToolResult {
  content: string;
  /** true: the model sees `is_error` and should correct its call. */
  isError: boolean;
}
