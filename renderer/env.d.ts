// Vite extracts imported stylesheets into the bundle's .css file (allowed by style-src 'self').
declare module '*.css';
