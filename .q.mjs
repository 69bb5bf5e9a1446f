import pg from "pg";
const c = new pg.Client({connectionString: "postgresql://skylight:KOpdpiewi9WDQjKs685EOW8WtBlFavJv@127.0.0.1:23760/bench"});
await c.connect();
for (const q of process.argv.slice(2)) { const r = await c.query(q); console.log(JSON.stringify(r.rows, null, 0).slice(0, 4000)); }
await c.end();
