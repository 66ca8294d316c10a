import { useEffect, useState } from "preact/hooks";

/** Pages live in the URL's fragment (#/create, #/env/NAME), so the server needs no routes. */
export type Route =
  | { page: "environments" }
  | { page: "create" }
  | { page: "environment"; name: string }
  | { page: "host" };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "");
  const env = /^\/env\/(.+)$/.exec(path);
  if (env?.[1]) return { page: "environment", name: decodeURIComponent(env[1]) };
  if (path === "/create") return { page: "create" };
  if (path === "/host") return { page: "host" };
  return { page: "environments" };
}

export const environmentHref = (name: string) => `#/env/${encodeURIComponent(name)}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
