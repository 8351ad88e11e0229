"""The scikit-learn side of bench/run training: the same file, the same held-out rows, the same encoding.

Reads the CSV with pandas, takes the rows whose split column says "test" as the held-out set, encodes
the features as Citadel's FeatureEncoder does (missing numbers become the training mean; for logistic
regression numbers are standardised with the training mean and standard deviation; categories and
booleans are one-hot encoded, categories unseen in training become all zeros), fits one model and
prints one JSON object: timings in seconds, held-out accuracy and ROC AUC, and the peak RSS.

Run with Debian's interpreter, which sees python3-sklearn and python3-pandas:
    /usr/bin/python3 sklearn_training.py FILE ALGORITHM [--variant defaults|matched] --categorical a,b \
        --target label --split split
"""

import argparse
import json
import resource
import sys
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score

MAX_CATEGORIES = 100  # FeatureEncoder.MAX_CATEGORIES


def model(algorithm, variant, seed):
    if algorithm == "logistic-regression" and variant == "defaults":
        # scikit-learn's defaults: L-BFGS, L2 penalty with C=1.0, at most 100 iterations, tol=1e-4
        return LogisticRegression()
    if algorithm == "gradient-boosted-trees" and variant == "defaults":
        # scikit-learn's defaults (learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20,
        # max_bins=255, l2_regularization=0) with exactly 100 trees: no early stopping, which the
        # default would switch on above 10,000 rows and which would hold out 10% of the training rows
        return HistGradientBoostingClassifier(max_iter=100, early_stopping=False, random_state=seed)
    if algorithm == "gradient-boosted-trees" and variant == "matched":
        # Citadel's defaults where scikit-learn has the same knob: 100 trees, learning rate 0.3, depth
        # at most 6 with no other limit on leaves (XGBoost grows depth-wise), L2 on leaf values 1.0;
        # min_samples_leaf stays 20 (XGBoost's min_child_weight=1 counts hessian, not rows)
        return HistGradientBoostingClassifier(max_iter=100, learning_rate=0.3, max_depth=6, max_leaf_nodes=None,
                                              l2_regularization=1.0, early_stopping=False, random_state=seed)
    raise SystemExit("unknown algorithm or variant: " + algorithm + " " + variant)


def encode(frame, train, categorical, standardise):
    """The feature matrix for every row, with statistics from the training rows only."""
    columns = []
    for name in frame.columns:
        if name in categorical:
            values = frame[name]
            counts = values[train].value_counts()
            counts = counts[counts > 0]
            kept = sorted(counts.index, key=lambda v: (-counts[v], v))[:MAX_CATEGORIES]
            for value in kept:
                columns.append((values == value).to_numpy(dtype=np.float64))
        else:
            values = frame[name].to_numpy(dtype=np.float64)
            training = values[train]
            mean = np.nanmean(training)
            filled = np.where(np.isnan(values), mean, values)
            if standardise:
                std = np.nanstd(training, ddof=1)
                filled = (filled - mean) / (std if std > 0 and np.isfinite(std) else 1.0)
            columns.append(filled)
    return np.column_stack(columns)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("algorithm")
    parser.add_argument("--variant", default="defaults", help="defaults, or matched to Citadel's parameters")
    parser.add_argument("--target", required=True)
    parser.add_argument("--positive", default="true")
    parser.add_argument("--split", required=True, help="column holding train or test")
    parser.add_argument("--categorical", default="", help="comma-separated categorical and boolean columns")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    categorical = [c for c in args.categorical.split(",") if c]

    start = time.perf_counter()
    frame = pd.read_csv(args.file, dtype={c: str for c in categorical + [args.target, args.split]},
                        keep_default_na=False, na_values=[""])
    loaded = time.perf_counter()

    train = (frame[args.split] == "train").to_numpy()
    test = (frame[args.split] == "test").to_numpy()
    y = (frame[args.target] == args.positive).to_numpy()
    features = frame.drop(columns=[args.target, args.split])
    x = encode(features, train, set(categorical), args.algorithm == "logistic-regression")
    x_train, y_train, x_test, y_test = x[train], y[train], x[test], y[test]
    del x, features, frame
    encoded = time.perf_counter()

    classifier = model(args.algorithm, args.variant, args.seed)
    classifier.fit(x_train, y_train)
    fitted = time.perf_counter()

    scores = classifier.predict_proba(x_test)[:, list(classifier.classes_).index(True)]
    accuracy = accuracy_score(y_test, classifier.predict(x_test))
    auc = roc_auc_score(y_test, scores)
    evaluated = time.perf_counter()

    iterations = getattr(classifier, "n_iter_", None)
    json.dump({
        "side": "scikit-learn " + sklearn.__version__ + " (" + args.variant + ")",
        "algorithm": args.algorithm,
        "params": {k: v for k, v in classifier.get_params().items() if v is not None and not callable(v)},
        "iterations": int(np.max(iterations)) if iterations is not None else None,
        "loadSeconds": loaded - start,
        "encodeSeconds": encoded - loaded,
        "fitSeconds": fitted - encoded,
        "evaluateSeconds": evaluated - fitted,
        "trainRows": int(train.sum()),
        "testRows": int(test.sum()),
        "testPositives": int(y_test.sum()),
        "features": int(x_train.shape[1]),
        "accuracy": float(accuracy),
        "rocAuc": float(auc),
        "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }, sys.stdout)
    print()


if __name__ == "__main__":
    main()
