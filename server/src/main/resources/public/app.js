// The qwen-asr page: upload an audio file to POST /v1/audio/transcriptions, or stream the microphone
// over the WebSocket /v1/stream as 32-bit float PCM and show committed and tentative text live.
'use strict';

const $ = (id) => document.getElementById(id);
const state = { model: null, aligner: false, live: null };

function setStatus(text, isError) {
  $('status').textContent = text;
  $('status').classList.toggle('error', Boolean(isError));
}

function authHeaders() {
  const key = $('api-key').value.trim();
  return key ? { Authorization: 'Bearer ' + key } : {};
}

async function errorMessage(response) {
  try {
    const body = await response.json();
    if (body && body.error && body.error.message) return body.error.message;
  } catch (e) { /* not JSON */ }
  return 'HTTP ' + response.status;
}

async function loadInfo() {
  try {
    const health = await (await fetch('health')).json();
    state.model = health.model;
    state.aligner = Boolean(health.aligner);
    $('model').textContent = 'model ' + health.model + (state.aligner ? ' · word timestamps' : '');
  } catch (e) {
    $('model').textContent = 'server unreachable';
    setStatus('Cannot reach the server: ' + e.message, true);
  }
  const languages = ['Chinese', 'English', 'Cantonese', 'Arabic', 'German', 'French', 'Spanish', 'Portuguese',
    'Indonesian', 'Italian', 'Korean', 'Russian', 'Thai', 'Vietnamese', 'Japanese', 'Turkish', 'Hindi', 'Malay',
    'Dutch', 'Swedish', 'Danish', 'Finnish', 'Polish', 'Czech', 'Filipino', 'Persian', 'Greek', 'Romanian',
    'Hungarian', 'Macedonian'];
  for (const name of languages) {
    const option = document.createElement('option');
    option.value = name;
    option.textContent = name;
    $('language').appendChild(option);
  }
}

function clearResult() {
  $('committed').textContent = '';
  $('tentative').textContent = '';
  $('meta').textContent = '';
  $('words').querySelector('tbody').replaceChildren();
  const link = $('download-srt');
  if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
  link.href = '#';
  link.classList.add('disabled');
}

function seconds(t) {
  return t.toFixed(2);
}

function srtTime(t) {
  const ms = Math.round(t * 1000);
  const pad = (n, w) => String(n).padStart(w, '0');
  return pad(Math.floor(ms / 3600000), 2) + ':' + pad(Math.floor(ms / 60000) % 60, 2) + ':'
    + pad(Math.floor(ms / 1000) % 60, 2) + ',' + pad(ms % 1000, 3);
}

// The verbose_json segments are the server's subtitle cues, so this is its SRT on one line per cue.
function srtFrom(segments) {
  return segments.map((s, i) => (i + 1) + '\n' + srtTime(s.start) + ' --> ' + srtTime(s.end) + '\n'
    + s.text + '\n').join('\n');
}

function showWords(words) {
  const body = $('words').querySelector('tbody');
  for (const w of words) {
    const row = document.createElement('tr');
    for (const value of [seconds(w.start), seconds(w.end), w.word]) {
      const cell = document.createElement('td');
      cell.textContent = value;
      row.appendChild(cell);
    }
    body.appendChild(row);
  }
}

async function transcribeFile() {
  const file = $('file').files[0];
  if (!file) {
    setStatus('Choose an audio file first.', true);
    return;
  }
  clearResult();
  $('transcribe').disabled = true;
  setStatus('Transcribing ' + file.name + ' ...');
  const form = new FormData();
  form.append('file', file);
  form.append('model', state.model || 'whisper-1');
  form.append('response_format', 'verbose_json');
  if ($('language').value) form.append('language', $('language').value);
  if (state.aligner) form.append('timestamp_granularities[]', 'word');
  const started = performance.now();
  try {
    const response = await fetch('v1/audio/transcriptions', { method: 'POST', body: form, headers: authHeaders() });
    if (!response.ok) {
      setStatus(await errorMessage(response), true);
      return;
    }
    const result = await response.json();
    $('committed').textContent = result.text;
    showWords(result.words || []);
    const blob = new Blob([srtFrom(result.segments || [])], { type: 'application/x-subrip' });
    const link = $('download-srt');
    link.href = URL.createObjectURL(blob);
    link.download = file.name.replace(/\.[^.]*$/, '') + '.srt';
    link.classList.remove('disabled');
    $('meta').textContent = (result.language || 'unknown language') + ' · ' + seconds(result.duration) + ' s of audio'
      + (result.finish_reason === 'length' ? ' · cut short at the token limit' : '');
    setStatus('Done in ' + ((performance.now() - started) / 1000).toFixed(1) + ' s.');
  } catch (e) {
    setStatus('The request failed: ' + e.message, true);
  } finally {
    $('transcribe').disabled = false;
  }
}

// ---------------------------------------------------------------- live

async function startLive() {
  clearResult();
  const button = $('record');
  button.disabled = true;
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true } });
  } catch (e) {
    button.disabled = false;
    setStatus('No microphone: ' + e.message, true);
    return;
  }
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host
    + location.pathname.replace(/[^/]*$/, '') + 'v1/stream';
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  const live = { stream, context, source, socket, node: null, ready: false, ended: false };
  state.live = live;

  socket.onopen = () => {
    const config = { type: 'config', format: 'f32', sample_rate: context.sampleRate };
    if ($('language').value) config.language = $('language').value;
    const key = $('api-key').value.trim();
    if (key) config.api_key = key;
    socket.send(JSON.stringify(config));
  };
  socket.onmessage = (message) => onEvent(live, JSON.parse(message.data));
  socket.onclose = (e) => {
    stopAudio(live);
    if (!live.ended && e.code !== 1000 && e.code !== 1001) setStatus('The stream closed (' + e.code + ').', true);
    resetButton();
  };
  socket.onerror = () => setStatus('The WebSocket failed.', true);

  const send = (samples) => {
    if (live.ready && !live.ended && socket.readyState === WebSocket.OPEN) socket.send(samples.buffer);
    showLevel(samples);
  };
  if (context.audioWorklet) {
    await context.audioWorklet.addModule('pcm-capture.js');
    live.node = new AudioWorkletNode(context, 'pcm-capture');
    live.node.port.onmessage = (e) => send(e.data);
  } else {
    live.node = context.createScriptProcessor(4096, 1, 1);
    live.node.onaudioprocess = (e) => send(new Float32Array(e.inputBuffer.getChannelData(0)));
  }
  source.connect(live.node);
  const mute = context.createGain();
  mute.gain.value = 0;
  live.node.connect(mute).connect(context.destination);
  button.textContent = 'Stop';
  button.classList.add('recording');
  button.disabled = false;
  setStatus('Connecting ...');
}

function onEvent(live, event) {
  switch (event.type) {
    case 'ready':
      live.ready = true;
      setStatus('Listening (' + Math.round(live.context.sampleRate) + ' Hz) ...');
      break;
    case 'committed':
      $('committed').textContent = event.text;
      break;
    case 'tentative':
      $('tentative').textContent = event.text ? ' ' + event.text : '';
      break;
    case 'final':
      live.ended = true;
      $('committed').textContent = event.text;
      $('tentative').textContent = '';
      $('meta').textContent = (event.language || 'unknown language') + ' · ' + seconds(event.audio_seconds)
        + ' s of audio';
      setStatus('Done.');
      break;
    case 'error':
      live.ended = true;
      setStatus(event.message, true);
      break;
    default:
      break;
  }
}

function stopLive() {
  const live = state.live;
  if (!live) return;
  stopAudio(live);
  $('record').disabled = true;
  setStatus('Finishing ...');
  if (live.socket.readyState === WebSocket.OPEN) live.socket.send(JSON.stringify({ type: 'end' }));
}

function stopAudio(live) {
  if (live.stopped) return;
  live.stopped = true;
  live.stream.getTracks().forEach((t) => t.stop());
  live.source.disconnect();
  if (live.node) live.node.disconnect();
  live.context.close();
  $('level-bar').style.width = '0';
}

function resetButton() {
  const button = $('record');
  button.textContent = 'Start recording';
  button.classList.remove('recording');
  button.disabled = false;
  state.live = null;
}

function showLevel(samples) {
  let peak = 0;
  for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i]));
  $('level-bar').style.width = Math.min(100, Math.round(peak * 100)) + '%';
}

document.addEventListener('DOMContentLoaded', () => {
  loadInfo();
  $('transcribe').addEventListener('click', transcribeFile);
  $('record').addEventListener('click', () => (state.live ? stopLive() : startLive()));
});
