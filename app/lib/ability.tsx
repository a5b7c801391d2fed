import { AbilityProvider, Can as CaslCan, useAbility as useCaslAbility, type CanProps } from "@casl/react";
import type { AppAbility } from "@xunlian/permissions";

/**
 * The ability built once in the root loader, unpacked in the browser (@casl/react 7,
 * pinned: its provider API changed between majors). It hides buttons; RLS protects.
 */
export const AbilityContextProvider = AbilityProvider<AppAbility>;
export function Can(props: CanProps<AppAbility>) {
  const Inner = CaslCan as unknown as React.ComponentType<CanProps<AppAbility>>;
  return <Inner {...props} />;
}
export const useAbility = () => useCaslAbility<AppAbility>();
