import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { DashboardInfo } from "../protocol.js";
import { getJson } from "./api.js";
import { CreatePage } from "./pages/create.js";
import { EnvironmentPage } from "./pages/environment.js";
import { EnvironmentsPage } from "./pages/environments.js";
import { HostPage } from "./pages/host.js";
import { type Route, useRoute } from "./router.js";
import { useEnvironments } from "./use-environments.js";
import "./styles.css";

const NAV: Array<{ href: string; label: string; page: Route["page"] }> = [
  { href: "#/", label: "Environments", page: "environments" },
  { href: "#/create", label: "Create", page: "create" },
  { href: "#/host", label: "Host", page: "host" },
];

const MINE_KEY = "modelbox-dev.mine";

function App() {
  const route = useRoute();
  // "Mine only" filters the list page; an environment's own page finds it among all.
  const [mine, setMine] = useState(() => localStorage.getItem(MINE_KEY) === "true");
  const onMine = (value: boolean) => {
    localStorage.setItem(MINE_KEY, String(value));
    setMine(value);
  };
  const list = useEnvironments(mine && route.page === "environments");
  const [info, setInfo] = useState<DashboardInfo | undefined>();
  useEffect(() => {
    getJson<DashboardInfo>("/api/info").then(setInfo, () => undefined);
  }, []);
  // A new page takes the focus to its heading, so keyboard and screen reader users start there.
  useEffect(() => {
    document.getElementById("page-title")?.focus();
    document.title = `${document.getElementById("page-title")?.textContent ?? "Dashboard"} · modelbox-dev`;
  }, [route.page, route.page === "environment" ? route.name : ""]);
  return (
    <>
      <a
        class="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById("page-title")?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="top">
        <span class="brand">modelbox-dev</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.page}>
                <a
                  href={item.href}
                  aria-current={
                    route.page === item.page ||
                    (item.page === "environments" && route.page === "environment")
                      ? "page"
                      : undefined
                  }
                >
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {info ? <span class="muted small version">v{info.version}</span> : null}
      </header>
      <main id="main">
        {route.page === "environments" ? (
          <EnvironmentsPage list={list} mine={mine} onMine={onMine} />
        ) : null}
        {route.page === "create" ? <CreatePage /> : null}
        {route.page === "environment" ? <EnvironmentPage name={route.name} list={list} /> : null}
        {route.page === "host" ? <HostPage /> : null}
      </main>
    </>
  );
}

const root = document.getElementById("app");
if (root) render(<App />, root);
