"""numpy side of nabla's benchmark: a long-lived child process that answers JSON requests, one per
line on stdin, with one JSON line on stdout. It times its own loops (time.perf_counter), so the
round trip to Node is not counted. The thread count of OpenBLAS is fixed by the environment the
parent sets (OPENBLAS_NUM_THREADS)."""

import json
import os
import sys
import time


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


try:
    import numpy as np
except Exception as e:  # noqa: BLE001 - report any import problem to the parent
    reply({"ok": False, "error": f"numpy is not importable: {e}"})
    sys.exit(0)


def blas_info():
    info = {"numpy": np.__version__, "python": sys.version.split()[0]}
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {})
        info["blas"] = {k: blas.get(k) for k in ("name", "version", "openblas configuration") if k in blas}
    except Exception:  # noqa: BLE001 - older numpy has no mode="dicts"
        pass
    try:
        from threadpoolctl import threadpool_info

        info["threadpools"] = [
            {k: p.get(k) for k in ("internal_api", "version", "num_threads", "architecture", "threading_layer")}
            for p in threadpool_info()
        ]
    except Exception:  # noqa: BLE001 - threadpoolctl is optional
        pass
    info["env"] = {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    return info


class W1:
    """MLP 784→128 relu→10 softmax, categorical cross-entropy, Adam (Keras defaults), in float32."""

    def __init__(self, batch, seed):
        rng = np.random.default_rng(seed)
        self.x = rng.standard_normal((batch, 784), dtype=np.float32)
        self.y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, batch)]

        def glorot(fan_in, fan_out):
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            return rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32)

        self.params = [glorot(784, 128), np.zeros(128, np.float32), glorot(128, 10), np.zeros(10, np.float32)]
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.t = 0
        self.lr, self.beta1, self.beta2, self.eps = 1e-3, 0.9, 0.999, 1e-7

    def forward(self, x):
        w1, b1, w2, b2 = self.params
        h = x @ w1
        h += b1
        np.maximum(h, 0, out=h)
        z = h @ w2
        z += b2
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        return h, z

    def step(self):
        x, y = self.x, self.y
        w1, b1, w2, b2 = self.params
        h, p = self.forward(x)
        loss = float(-(y * np.log(p + 1e-7)).sum() / x.shape[0])
        dz = (p - y) / np.float32(x.shape[0])
        dw2 = h.T @ dz
        db2 = dz.sum(axis=0)
        dh = dz @ w2.T
        dh *= h > 0
        dw1 = x.T @ dh
        db1 = dh.sum(axis=0)
        self.t += 1
        b1c, b2c = 1 - self.beta1**self.t, 1 - self.beta2**self.t
        lr_t = np.float32(self.lr * np.sqrt(b2c) / b1c)
        for p_, g, m, v in zip(self.params, (dw1, db1, dw2, db2), self.m, self.v):
            m *= self.beta1
            m += np.float32(1 - self.beta1) * g
            v *= self.beta2
            v += np.float32(1 - self.beta2) * (g * g)
            p_ -= lr_t * m / (np.sqrt(v) + np.float32(self.eps))
        return loss


def main():
    rng = np.random.default_rng(1234)
    cache = {}
    w1 = None

    def arrays(key, make):
        if key not in cache:
            cache[key] = make()
        return cache[key]

    reply({"ok": True, "ready": True})
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            msg = json.loads(line)
            cmd = msg["cmd"]
            reps = int(msg.get("reps", 1))
            if cmd == "info":
                reply({"ok": True, **blas_info()})
            elif cmd == "gemm":
                m, k, n = int(msg["m"]), int(msg["k"]), int(msg["n"])
                a, b = arrays(("gemm", m, k, n), lambda: (rng.standard_normal((m, k), dtype=np.float32), rng.standard_normal((k, n), dtype=np.float32)))
                t0 = time.perf_counter()
                for _ in range(reps):
                    c = a @ b
                seconds = time.perf_counter() - t0
                del c
                reply({"ok": True, "seconds": seconds})
            elif cmd == "add":
                size = int(msg["size"])
                a, b = arrays(("add", size), lambda: (rng.standard_normal(size, dtype=np.float32), rng.standard_normal(size, dtype=np.float32)))
                t0 = time.perf_counter()
                for _ in range(reps):
                    a + b
                reply({"ok": True, "seconds": time.perf_counter() - t0})
            elif cmd == "relu":
                size = int(msg["size"])
                (x,) = arrays(("relu", size), lambda: (rng.standard_normal(size, dtype=np.float32),))
                t0 = time.perf_counter()
                for _ in range(reps):
                    np.maximum(x, 0)
                reply({"ok": True, "seconds": time.perf_counter() - t0})
            elif cmd == "w1_init":
                cache.clear()
                w1 = W1(int(msg["batch"]), int(msg.get("seed", 0)))
                reply({"ok": True, "loss": w1.step()})
            elif cmd == "w1_train":
                t0 = time.perf_counter()
                loss = None
                for _ in range(reps):
                    loss = w1.step()
                reply({"ok": True, "seconds": time.perf_counter() - t0, "loss": loss})
            elif cmd == "w1_predict":
                x = w1.x[: int(msg["batch"])]
                t0 = time.perf_counter()
                for _ in range(reps):
                    w1.forward(x)
                reply({"ok": True, "seconds": time.perf_counter() - t0})
            elif cmd == "quit":
                reply({"ok": True})
                return
            else:
                reply({"ok": False, "error": f"unknown command {cmd}"})
        except Exception as e:  # noqa: BLE001 - every failure goes back to the parent as data
            reply({"ok": False, "error": f"{type(e).__name__}: {e}"})


if __name__ == "__main__":
    main()
