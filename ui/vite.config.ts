import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The build goes to dist/, which is committed and embedded in the jxc binary
// (ui/embed.go). Chunks are split so vendor hashes stay stable between builds.
export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) return 'element-plus'
          if (id.includes('node_modules/vue') || id.includes('node_modules/@vue') || id.includes('node_modules/pinia') || id.includes('node_modules/@intlify')) return 'vue'
          return undefined
        },
      },
    },
  },
  server: {
    // JXC_API points the dev server at a running jxc (default: the usual address).
    proxy: { '/api': process.env.JXC_API || 'http://127.0.0.1:8080' },
  },
})
