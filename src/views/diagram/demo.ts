/**
 * Scratch entry for diagram-demo.html: mounts the sequence diagram demo. Not part of the app.
 */
import { mount } from 'svelte';
import '../../app.css';
import DiagramDemo from './DiagramDemo.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('diagram-demo.html has no #app element.');

export default mount(DiagramDemo, { target });
