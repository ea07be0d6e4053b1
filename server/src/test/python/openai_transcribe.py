"""Calls the server through the official openai package: one transcription per response format.

Usage: python openai_transcribe.py BASE_URL API_KEY MODEL WAV
Prints one JSON object: {format: result} where result is the SDK's return value made JSON
(text for text/srt/vtt, the parsed model's dict for json/verbose_json).
"""
import json
import sys

import openai


def main():
    base_url, api_key, model, wav = sys.argv[1:5]
    client = openai.OpenAI(base_url=base_url, api_key=api_key, max_retries=0, timeout=120)
    out = {"openai_version": openai.__version__}
    for fmt in ("json", "text", "srt", "vtt", "verbose_json"):
        with open(wav, "rb") as f:
            kwargs = {}
            if fmt == "verbose_json":
                kwargs["timestamp_granularities"] = ["word", "segment"]
            result = client.audio.transcriptions.create(model=model, file=f, response_format=fmt, **kwargs)
        out[fmt] = result if isinstance(result, str) else result.model_dump()
    # A bad request must surface as the SDK's typed error with OpenAI's fields.
    try:
        with open(wav, "rb") as f:
            client.audio.transcriptions.create(model="no-such-model", file=f)
        out["error"] = None
    except openai.NotFoundError as e:
        out["error"] = {"status": e.status_code, "code": e.code, "message": e.message}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
