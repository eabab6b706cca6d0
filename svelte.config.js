/** @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig} */
export default {
  vitePlugin: {
    // Our own components are written with runes only, so legacy syntax in them is an error.
    // Libraries in node_modules keep whatever mode they were written in.
    dynamicCompileOptions({ filename }) {
      return filename.includes('/node_modules/') ? undefined : { runes: true };
    },
  },
};
