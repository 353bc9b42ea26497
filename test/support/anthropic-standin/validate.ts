import { countBreakpoints } from "./usage.js";

/**
 * The request checks the real API makes that a loop can get wrong, with the API's wording, so a
 * malformed conversation fails in tests the way it would in production (400 invalid_request_error).
 * Returns the error message, or undefined when the request is acceptable.
 */
export function validateRequest(body: unknown): string | undefined {
  if (!body || typeof body !== "object" || Array.isArray(body)) return "body: Input should be an object";
  const request = body as Record<string, unknown>;
  if (typeof request.model !== "string" || request.model.length === 0) return "model: Field required";
  if (!Number.isInteger(request.max_tokens) || (request.max_tokens as number) < 0) {
    return "max_tokens: Input should be a valid integer";
  }
  if (!Array.isArray(request.messages) || request.messages.length === 0) {
    return "messages: at least one message is required";
  }
  const toolError = validateTools(request.tools);
  if (toolError) return toolError;
  const systemError = validateSystem(request.system);
  if (systemError) return systemError;

  const messages = request.messages as { role?: unknown; content?: unknown }[];
  if (messages[0]?.role !== "user") return "messages: first message must use the \"user\" role";
  for (const [i, msg] of messages.entries()) {
    if (msg.role !== "user" && msg.role !== "assistant") {
      return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    }
    if (typeof msg.content === "string") {
      if (msg.content.length === 0 && i !== messages.length - 1) {
        return `messages.${i}: all messages must have non-empty content except for the optional final assistant message`;
      }
      continue;
    }
    if (!Array.isArray(msg.content)) return `messages.${i}.content: Input should be a valid list`;
    for (const [j, block] of (msg.content as Record<string, unknown>[]).entries()) {
      if (!block || typeof block.type !== "string") return `messages.${i}.content.${j}.type: Field required`;
      if (block.type === "text" && (typeof block.text !== "string" || block.text.length === 0)) {
        return `messages.${i}.content.${j}.text: text content blocks must be non-empty`;
      }
      if (block.type === "tool_use" && msg.role !== "assistant") {
        return `messages.${i}.content.${j}: tool_use blocks may only appear in assistant messages`;
      }
      if (block.type === "tool_result" && msg.role !== "user") {
        return `messages.${i}.content.${j}: tool_result blocks may only appear in user messages`;
      }
    }
  }
  const pairing = validateToolPairing(messages);
  if (pairing) return pairing;

  const breakpoints = countBreakpoints(request);
  if (breakpoints > 4) return `A maximum of 4 blocks with cache_control may be provided. Found ${breakpoints}.`;
  return undefined;
}

function validateTools(tools: unknown): string | undefined {
  if (tools === undefined) return undefined;
  if (!Array.isArray(tools)) return "tools: Input should be a valid list";
  const names = new Set<string>();
  for (const [i, tool] of (tools as Record<string, unknown>[]).entries()) {
    if (!tool || typeof tool.name !== "string" || !/^[a-zA-Z0-9_-]{1,128}$/.test(tool.name)) {
      return `tools.${i}.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`;
    }
    if (names.has(tool.name)) return "tools: Tool names must be unique.";
    names.add(tool.name);
    // Anthropic-defined tools carry a versioned `type`; custom tools need a JSON schema.
    if (tool.type === undefined || tool.type === "custom") {
      const schema = tool.input_schema as Record<string, unknown> | undefined;
      if (!schema || schema.type !== "object") return `tools.${i}.custom.input_schema: Field required`;
    }
  }
  return undefined;
}

function validateSystem(system: unknown): string | undefined {
  if (system === undefined || typeof system === "string") return undefined;
  if (!Array.isArray(system)) return "system: Input should be a valid string or list";
  for (const [i, block] of (system as Record<string, unknown>[]).entries()) {
    if (block?.type !== "text") return `system.${i}.type: Input should be 'text'`;
    if (typeof block.text !== "string" || block.text.length === 0) {
      return `system.${i}.text: text content blocks must be non-empty`;
    }
  }
  return undefined;
}

function validateToolPairing(messages: { role?: unknown; content?: unknown }[]): string | undefined {
  for (const [i, msg] of messages.entries()) {
    const blocks = Array.isArray(msg.content) ? (msg.content as Record<string, unknown>[]) : [];
    if (msg.role === "assistant") {
      const ids = blocks.filter((b) => b.type === "tool_use").map((b) => String(b.id));
      if (ids.length === 0) continue;
      const next = messages[i + 1];
      if (!next) continue; // a trailing assistant message is a prefill
      const nextBlocks = Array.isArray(next.content) ? (next.content as Record<string, unknown>[]) : [];
      const answered = new Set(nextBlocks.filter((b) => b.type === "tool_result").map((b) => String(b.tool_use_id)));
      const missing = ids.filter((id) => !answered.has(id));
      if (missing.length > 0) {
        return (
          `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(", ")}. ` +
          "Each `tool_use` block must have a corresponding `tool_result` block in the next message."
        );
      }
    }
    if (msg.role === "user") {
      const previous = i > 0 ? messages[i - 1] : undefined;
      const previousBlocks = previous && Array.isArray(previous.content) ? (previous.content as Record<string, unknown>[]) : [];
      const known = new Set(previousBlocks.filter((b) => b.type === "tool_use").map((b) => String(b.id)));
      for (const [j, block] of blocks.entries()) {
        if (block.type === "tool_result" && !known.has(String(block.tool_use_id))) {
          return (
            `messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block.tool_use_id)}. ` +
            "Each `tool_result` block must have a corresponding `tool_use` block in the previous message."
          );
        }
      }
    }
  }
  return undefined;
}
