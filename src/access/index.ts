// Public face of the access capability: roles, visibility scopes, sections.
export type {
  Access,
  AccessReasonCode,
  ItemRef,
  MemberRecord,
  RoleDefinition,
  SectionGrant,
  SectionMode,
  Visibility,
  VisibilityFilter,
} from './types.js';
export {
  builtinRoles,
  parseRoles,
  roleDefinitionSchema,
  roleDefinitionsSchema,
  roleIdSchema,
  safeParseRoles,
  sectionIdSchema,
} from './roles.js';
export { resolveAccess } from './resolve.js';
export { canEnterSection, canViewItem, visibilityFilter } from './check.js';
export { explainAccess, type AccessExplainCode, type AccessExplanation, type AccessStep, type AccessTarget } from './explain.js';
export { visibilitySql, type SqlFragment, type VisibilitySqlColumns } from './sql.js';
