#!/usr/bin/env python3
"""Reference Japanese alignment units from the official segmentation (docs/model.md 7.2).

Segments each sentence with nagisa (which NFKC-normalises the text first, so full-width digits and letters come
back half-width), exactly as the official
`Qwen3ForceAlignProcessor.tokenize_japanese` does (qwen-asr 0.0.6): `nagisa.tagging(text).words`,
then every word cleaned to apostrophes, letters (L*) and numbers (N*), empty words dropped. The
official method itself is called, so the cleaning is not re-implemented here.

Usage: python nagisa_units.py > align/src/test/resources/golden/japanese/nagisa_units.json
"""
import importlib.metadata as md
import json
import sys

from qwen_asr.inference.qwen3_forced_aligner import Qwen3ForceAlignProcessor

SENTENCES = [
    "今日はいい天気ですね。",
    "私は東京に住んでいます。",
    "ありがとうございました。",
    "すみません、駅はどこですか？",
    "コンピューターのソフトウェアを更新しました。",
    "明日の会議は午後三時から始まります。",
    "彼女はピアノを弾くのが上手です。",
    "このレストランのラーメンはとても美味しい。",
    "2024年4月1日に入学式がありました。",
    "価格は1500円です。",
    "電車が10分遅れて到着した。",
    "iPhoneとAndroidのどちらが好きですか？",
    "AIの研究が急速に進んでいる。",
    "日本語の文法は難しいけど、面白い。",
    "猫が窓の外を見ている。",
    "昨日、友達と映画を見に行きました。",
    "インターネットで情報を検索する。",
    "「こんにちは」と彼は言った。",
    "新しいスマートフォンを買いたいです。",
    "富士山は日本で一番高い山です。",
    "おはようございます！今日も頑張りましょう。",
    "雨が降りそうなので、傘を持って行きます。",
    "この本は三回読みました。",
    "東京オリンピックは2021年に開催された。",
    "私の名前は田中です。よろしくお願いします。",
    "子供たちが公園で遊んでいる。",
    "コーヒーと紅茶、どちらにしますか。",
    "音声認識の精度が大幅に向上した。",
    "ひらがなとカタカナを覚えましょう。",
    "週末は京都へ旅行に行く予定です。",
    "JavaとPythonでプログラムを書く。",
    "もしもし、聞こえますか？",
    "ＡＢＣの本を２冊買った。",
    "ｶﾀｶﾅで書くこともある。",
]


def main():
    processor = Qwen3ForceAlignProcessor.__new__(Qwen3ForceAlignProcessor)
    cases = [{"text": s, "units": processor.tokenize_japanese(s)} for s in SENTENCES]
    doc = {
        "generator": "tools/golden/nagisa_units.py",
        "nagisa": md.version("nagisa"),
        "qwen_asr": md.version("qwen-asr"),
        "cases": cases,
    }
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
