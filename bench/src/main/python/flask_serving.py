"""The Flask side of bench/run serving: what a researcher would otherwise run.

Trains scikit-learn LogisticRegression and HistGradientBoostingClassifier on the rows of the CSV whose
split column says "train" (the same file Citadel trains on), then serves single-instance JSON
predictions the usual way: the instance becomes a one-row pandas DataFrame and goes through a
Pipeline (mean imputation and standardisation for numbers, one-hot encoding for categories and
booleans, unknown categories ignored) and the model.

    POST /predict/logistic-regression      {"instances": [{...}]}  ->  {"predictions": ["true"]}
    POST /predict/gradient-boosted-trees

Environment: SERVING_CSV (the file), SERVING_CATEGORICAL (comma-separated categorical and boolean
columns), SERVING_TARGET, SERVING_SPLIT. Run as the development server:
    /usr/bin/python3 flask_serving.py PORT
or under gunicorn (the models are trained once, before the workers fork):
    OMP_NUM_THREADS=1 gunicorn --preload -w 2 -b 127.0.0.1:PORT --chdir DIR flask_serving:app
"""

import os
import sys

import pandas as pd
from flask import Flask, jsonify, request
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def as_category(values):
    """Categories as strings, a missing value (NaN from the file, null from JSON) as "None"."""
    return values.astype(object).where(values.notna(), None).astype(str)


def train(path, categorical, target, split):
    frame = pd.read_csv(path)
    frame = frame[frame[split] == "train"]
    labels = frame[target].astype(str).str.lower()
    features = frame.drop(columns=[target, split])
    for name in categorical:
        features[name] = as_category(features[name])
    numeric = [c for c in features.columns if c not in categorical]

    def prepare(standardise):
        steps = [SimpleImputer(strategy="mean")] + ([StandardScaler()] if standardise else [])
        return ColumnTransformer([("numeric", make_pipeline(*steps), numeric),
                                  ("categorical", OneHotEncoder(handle_unknown="ignore"), categorical)],
                                 sparse_threshold=0)

    models = {
        "logistic-regression": Pipeline([("prepare", prepare(True)), ("model", LogisticRegression(max_iter=1000))]),
        "gradient-boosted-trees": Pipeline([("prepare", prepare(False)), ("model", HistGradientBoostingClassifier(
            max_iter=100, early_stopping=False, random_state=42))]),
    }
    for model in models.values():
        model.fit(features, labels)
    return models, list(features.columns), numeric


CATEGORICAL = [c for c in os.environ.get("SERVING_CATEGORICAL", "").split(",") if c]
MODELS, COLUMNS, NUMERIC = train(os.environ["SERVING_CSV"], CATEGORICAL, os.environ.get("SERVING_TARGET", "label"),
                        os.environ.get("SERVING_SPLIT", "split"))
app = Flask(__name__)


@app.post("/predict/<algorithm>")
def predict(algorithm):
    model = MODELS.get(algorithm)
    if model is None:
        return jsonify({"error": "unknown model"}), 404
    instances = request.get_json()["instances"]
    frame = pd.DataFrame(instances, columns=COLUMNS)
    frame[NUMERIC] = frame[NUMERIC].astype(float)
    for name in CATEGORICAL:
        frame[name] = as_category(frame[name])
    return jsonify({"predictions": [str(p) for p in model.predict(frame)]})


@app.get("/ready")
def ready():
    return "ok"


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(sys.argv[1]))
