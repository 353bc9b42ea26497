/**
 * Tree-sitter queries for definitions, per grammar (node names as in the tree-sitter-wasms builds).
 * Captures: `@definition.<kind>` on the whole node (its range is the chunk for function-level search and its
 * first line the signature in the repository map), `@name` on the defined name. References are collected
 * from identifiers separately (see extract-tags.ts), as aider does with Pygments for grammars without
 * reference queries. Module-level constants (`export const PATTERN = /.../`) are definitions too, as Python's are:
 * a fix often changes a shared constant, and an issue may name one; `@value` lets the extractor leave the
 * function-valued ones to the function pattern.
 */

const JAVASCRIPT_COMMON = `
(function_declaration name: (identifier) @name) @definition.function
(generator_function_declaration name: (identifier) @name) @definition.function
(method_definition name: (_) @name) @definition.method
(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression) (generator_function)]) @definition.function
(assignment_expression left: (member_expression property: (property_identifier) @name) right: [(arrow_function) (function_expression)]) @definition.method
(assignment_expression left: (identifier) @name right: [(arrow_function) (function_expression)]) @definition.function
(pair key: (property_identifier) @name value: [(arrow_function) (function_expression)]) @definition.method
(program (lexical_declaration (variable_declarator name: (identifier) @name value: (_) @value) @definition.constant))
(program (variable_declaration (variable_declarator name: (identifier) @name value: (_) @value) @definition.constant))
(program (export_statement declaration: (lexical_declaration (variable_declarator name: (identifier) @name value: (_) @value) @definition.constant)))
`;

export const JAVASCRIPT_QUERY = `
${JAVASCRIPT_COMMON}
(class_declaration name: (identifier) @name) @definition.class
(class name: (identifier) @name) @definition.class
`;

export const TYPESCRIPT_QUERY = `
${JAVASCRIPT_COMMON}
(function_signature name: (identifier) @name) @definition.function
(class_declaration name: (type_identifier) @name) @definition.class
(abstract_class_declaration name: (type_identifier) @name) @definition.class
(interface_declaration name: (type_identifier) @name) @definition.interface
(type_alias_declaration name: (type_identifier) @name) @definition.type
(enum_declaration name: (identifier) @name) @definition.enum
(method_signature name: (_) @name) @definition.method
(abstract_method_signature name: (_) @name) @definition.method
(module name: (_) @name) @definition.module
`;

export const PYTHON_QUERY = `
(function_definition name: (identifier) @name) @definition.function
(class_definition name: (identifier) @name) @definition.class
(module (expression_statement (assignment left: (identifier) @name)) @definition.constant)
`;

export const GO_QUERY = `
(function_declaration name: (identifier) @name) @definition.function
(method_declaration name: (field_identifier) @name) @definition.method
(type_spec name: (type_identifier) @name) @definition.type
`;

export const JAVA_QUERY = `
(class_declaration name: (identifier) @name) @definition.class
(interface_declaration name: (identifier) @name) @definition.interface
(enum_declaration name: (identifier) @name) @definition.enum
(method_declaration name: (identifier) @name) @definition.method
(constructor_declaration name: (identifier) @name) @definition.method
`;

export const RUBY_QUERY = `
(method name: (_) @name) @definition.method
(singleton_method name: (_) @name) @definition.method
(class name: [(constant) (scope_resolution name: (_) @name)] @name) @definition.class
(module name: [(constant) (scope_resolution name: (_) @name)] @name) @definition.module
`;
