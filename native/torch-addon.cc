// nas-surgery's torch engine: a thin N-API layer over libtorch's ATen. Tensors to and from typed arrays, the tensor
// ops the TypeScript model code calls, autograd (first and second order) and in-place SGD and Adam updates. No model
// logic lives here: the supernet, proxies and predictors are written once in TypeScript (src/engine/engine.ts).
#include <napi.h>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <torch/csrc/api/include/torch/version.h>

#include <malloc.h>

#include <atomic>
#include <cstring>
#include <string>
#include <vector>

namespace {

std::atomic<int64_t> live_tensors{0};
at::Device current_device(at::kCPU);

// A tensor handle is an External holding a heap at::Tensor; dispose() releases the storage at once, the finalizer
// frees the holder.
void FinalizeTensor(Napi::Env, at::Tensor* t) {
  if (t->defined()) live_tensors--;
  delete t;
}

Napi::Value Wrap(Napi::Env env, at::Tensor t) {
  live_tensors++;
  return Napi::External<at::Tensor>::New(env, new at::Tensor(std::move(t)), FinalizeTensor);
}

at::Tensor& Unwrap(const Napi::Value& v) {
  if (!v.IsExternal()) throw std::invalid_argument("expected a torch tensor handle");
  at::Tensor* t = v.As<Napi::External<at::Tensor>>().Data();
  if (!t->defined()) throw std::invalid_argument("tensor used after dispose");
  return *t;
}

c10::optional<at::Tensor> UnwrapOptional(const Napi::Value& v) {
  if (v.IsUndefined() || v.IsNull()) return c10::nullopt;
  return Unwrap(v);
}

std::vector<int64_t> IntList(const Napi::Value& v) {
  Napi::Array a = v.As<Napi::Array>();
  std::vector<int64_t> out(a.Length());
  for (uint32_t i = 0; i < a.Length(); i++) out[i] = a.Get(i).As<Napi::Number>().Int64Value();
  return out;
}

std::vector<at::Tensor> TensorList(const Napi::Value& v) {
  Napi::Array a = v.As<Napi::Array>();
  std::vector<at::Tensor> out;
  out.reserve(a.Length());
  for (uint32_t i = 0; i < a.Length(); i++) out.push_back(Unwrap(a.Get(i)));
  return out;
}

double Num(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().DoubleValue(); }
int64_t Int(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int64Value(); }

// Every exported function goes through this: libtorch's c10::Error and argument errors become JS exceptions.
// node-addon-api itself runs without C++ exceptions (NAPI_DISABLE_CPP_EXCEPTIONS): a failing N-API call leaves a
// pending JS exception instead of throwing, which keeps a worker that is being terminated from aborting the process.
template <Napi::Value (*F)(const Napi::CallbackInfo&)>
Napi::Value Guard(const Napi::CallbackInfo& info) {
  std::string message;
  try {
    return F(info);
  } catch (const c10::Error& e) {
    message = std::string("torch: ") + e.what_without_backtrace();
  } catch (const std::exception& e) {
    message = std::string("torch: ") + e.what();
  }
  Napi::Env env = info.Env();
  if (!env.IsExceptionPending()) Napi::Error::New(env, message).ThrowAsJavaScriptException();
  return env.Undefined();
}

at::TensorOptions FloatOptions() { return at::TensorOptions().dtype(at::kFloat).device(current_device); }

// ---- data in and out ----

Napi::Value FromFloat32(const Napi::CallbackInfo& info) {
  Napi::Float32Array a = info[0].As<Napi::Float32Array>();
  std::vector<int64_t> shape = IntList(info[1]);
  at::Tensor cpu = at::empty(shape, at::TensorOptions().dtype(at::kFloat));
  if (static_cast<size_t>(cpu.numel()) != a.ElementLength())
    throw std::invalid_argument("fromFloat32: shape does not match the number of values");
  std::memcpy(cpu.data_ptr<float>(), a.Data(), a.ElementLength() * sizeof(float));
  return Wrap(info.Env(), current_device.is_cpu() ? cpu : cpu.to(current_device));
}

Napi::Value FromInt32AsLong(const Napi::CallbackInfo& info) {
  Napi::Int32Array a = info[0].As<Napi::Int32Array>();
  at::Tensor cpu = at::empty({static_cast<int64_t>(a.ElementLength())}, at::TensorOptions().dtype(at::kInt));
  std::memcpy(cpu.data_ptr<int32_t>(), a.Data(), a.ElementLength() * sizeof(int32_t));
  return Wrap(info.Env(), cpu.to(current_device, at::kLong));
}

Napi::Value ToFloat32(const Napi::CallbackInfo& info) {
  at::Tensor t = Unwrap(info[0]).detach().to(at::kCPU, at::kFloat).contiguous();
  Napi::Float32Array out = Napi::Float32Array::New(info.Env(), t.numel());
  std::memcpy(out.Data(), t.data_ptr<float>(), t.numel() * sizeof(float));
  return out;
}

Napi::Value Item(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), Unwrap(info[0]).item<double>());
}

Napi::Value Shape(const Napi::CallbackInfo& info) {
  at::Tensor& t = Unwrap(info[0]);
  Napi::Array out = Napi::Array::New(info.Env(), t.dim());
  for (int64_t i = 0; i < t.dim(); i++) out.Set(static_cast<uint32_t>(i), Napi::Number::New(info.Env(), t.size(i)));
  return out;
}

Napi::Value Dispose(const Napi::CallbackInfo& info) {
  if (!info[0].IsExternal()) throw std::invalid_argument("dispose: expected a torch tensor handle");
  at::Tensor* t = info[0].As<Napi::External<at::Tensor>>().Data();
  if (t->defined()) {
    *t = at::Tensor();
    live_tensors--;
  }
  return info.Env().Undefined();
}

Napi::Value LiveTensors(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(live_tensors.load()));
}

Napi::Value SetRequiresGrad(const Napi::CallbackInfo& info) {
  Unwrap(info[0]).requires_grad_(info[1].As<Napi::Boolean>().Value());
  return info.Env().Undefined();
}

Napi::Value Detach(const Napi::CallbackInfo& info) { return Wrap(info.Env(), Unwrap(info[0]).detach()); }

Napi::Value Clone(const Napi::CallbackInfo& info) { return Wrap(info.Env(), Unwrap(info[0]).detach().clone()); }

// ---- tensor ops ----

Napi::Value Permute(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Unwrap(info[0]).permute(IntList(info[1])).contiguous());
}

Napi::Value Reshape(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Unwrap(info[0]).reshape(IntList(info[1])));
}

// Rows of t [n, …] at indices (a long tensor), differentiable in t (its gradient is a scatter-add).
Napi::Value IndexSelect(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), at::index_select(Unwrap(info[0]), 0, Unwrap(info[1])));
}

// A broadcast view of t with the given shape.
Napi::Value Expand(const Napi::CallbackInfo& info) { return Wrap(info.Env(), Unwrap(info[0]).expand(IntList(info[1]))); }

Napi::Value Narrow(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Unwrap(info[0]).narrow(Int(info, 1), Int(info, 2), Int(info, 3)));
}

Napi::Value Conv2d(const Napi::CallbackInfo& info) {
  int64_t stride = Int(info, 2), pad = Int(info, 3);
  return Wrap(info.Env(), at::conv2d(Unwrap(info[0]), Unwrap(info[1]), {}, {stride, stride}, {pad, pad}));
}

// Training-mode batch normalisation over (N, H, W) of an NCHW tensor; no running statistics.
Napi::Value BatchNorm(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), at::batch_norm(Unwrap(info[0]), UnwrapOptional(info[1]), UnwrapOptional(info[2]), {}, {},
                                         true, 0.0, Num(info, 3), true));
}

Napi::Value Relu(const Napi::CallbackInfo& info) { return Wrap(info.Env(), at::relu(Unwrap(info[0]))); }

Napi::Value Add(const Napi::CallbackInfo& info) { return Wrap(info.Env(), at::add(Unwrap(info[0]), Unwrap(info[1]))); }

Napi::Value Sub(const Napi::CallbackInfo& info) { return Wrap(info.Env(), at::sub(Unwrap(info[0]), Unwrap(info[1]))); }

Napi::Value AddN(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> ts = TensorList(info[0]);
  if (ts.empty()) throw std::invalid_argument("addN: no tensors");
  at::Tensor s = ts[0];
  for (size_t i = 1; i < ts.size(); i++) s = at::add(s, ts[i]);
  return Wrap(info.Env(), s);
}

Napi::Value Mul(const Napi::CallbackInfo& info) { return Wrap(info.Env(), at::mul(Unwrap(info[0]), Unwrap(info[1]))); }

Napi::Value MulScalar(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), at::mul(Unwrap(info[0]), Num(info, 1)));
}

Napi::Value AddScalar(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), at::add(Unwrap(info[0]), Num(info, 1)));
}

Napi::Value Sigmoid(const Napi::CallbackInfo& info) { return Wrap(info.Env(), at::sigmoid(Unwrap(info[0]))); }

Napi::Value Tanh(const Napi::CallbackInfo& info) { return Wrap(info.Env(), at::tanh(Unwrap(info[0]))); }

Napi::Value Abs(const Napi::CallbackInfo& info) { return Wrap(info.Env(), at::abs(Unwrap(info[0]))); }

Napi::Value Square(const Napi::CallbackInfo& info) { return Wrap(info.Env(), at::square(Unwrap(info[0]))); }

Napi::Value Sum(const Napi::CallbackInfo& info) { return Wrap(info.Env(), at::sum(Unwrap(info[0]))); }

Napi::Value Mean(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), at::mean(Unwrap(info[0]), IntList(info[1]), info[2].As<Napi::Boolean>().Value()));
}

Napi::Value AvgPool2d(const Napi::CallbackInfo& info) {
  int64_t k = Int(info, 1), s = Int(info, 2), p = Int(info, 3);
  bool include = info[4].As<Napi::Boolean>().Value();
  return Wrap(info.Env(), at::avg_pool2d(Unwrap(info[0]), {k, k}, {s, s}, {p, p}, false, include));
}

// x [B, in] · w [in, out] + b [out].
Napi::Value Linear(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), at::addmm(Unwrap(info[2]), Unwrap(info[0]), Unwrap(info[1])));
}

Napi::Value MatMul(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), at::matmul(Unwrap(info[0]), Unwrap(info[1])));
}

// Mean softmax cross-entropy of logits [B, K] against integer labels [B].
Napi::Value CrossEntropy(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), at::nll_loss(at::log_softmax(Unwrap(info[0]), 1), Unwrap(info[1])));
}

Napi::Value ZerosLike(const Napi::CallbackInfo& info) { return Wrap(info.Env(), at::zeros_like(Unwrap(info[0]))); }

Napi::Value OnesLike(const Napi::CallbackInfo& info) { return Wrap(info.Env(), at::ones_like(Unwrap(info[0]))); }

Napi::Value Full(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), at::full(IntList(info[0]), Num(info, 1), FloatOptions()));
}

// Fraction of rows whose argmax equals the label.
Napi::Value Accuracy(const Napi::CallbackInfo& info) {
  at::Tensor hits = at::argmax(Unwrap(info[0]), 1).eq(Unwrap(info[1]));
  return Napi::Number::New(info.Env(), hits.to(at::kDouble).mean().item<double>());
}

// ---- autograd ----

// grad(output, inputs, createGraph, gradOutput?) → gradients (null for an input the output does not depend on).
Napi::Value Grad(const Napi::CallbackInfo& info) {
  at::Tensor out = Unwrap(info[0]);
  std::vector<at::Tensor> inputs = TensorList(info[1]);
  bool create = info[2].As<Napi::Boolean>().Value();
  std::vector<at::Tensor> seeds;
  if (info.Length() > 3 && !info[3].IsUndefined() && !info[3].IsNull()) seeds.push_back(Unwrap(info[3]));
  std::vector<at::Tensor> g = torch::autograd::grad({out}, inputs, seeds, create, create, true);
  Napi::Array result = Napi::Array::New(info.Env(), g.size());
  for (size_t i = 0; i < g.size(); i++)
    result.Set(static_cast<uint32_t>(i), g[i].defined() ? Wrap(info.Env(), g[i]) : info.Env().Null());
  return result;
}

Napi::Value SetGradEnabled(const Napi::CallbackInfo& info) {
  bool prev = at::GradMode::is_enabled();
  at::GradMode::set_enabled(info[0].As<Napi::Boolean>().Value());
  return Napi::Boolean::New(info.Env(), prev);
}

// ---- optimizers ----

// Σ ‖t‖² over a list, accumulated in double.
Napi::Value SumSquares(const Napi::CallbackInfo& info) {
  at::NoGradGuard guard;
  double total = 0;
  for (const at::Tensor& t : TensorList(info[0])) {
    double n = at::norm(t).item<double>();
    total += n * n;
  }
  return Napi::Number::New(info.Env(), total);
}

// One SGD update of w in place (PyTorch's order): d = scale·g + wd·w (d = wd·w without g); buf = d on the first step,
// else momentum·buf + d (in place); w −= lr·buf. Returns the momentum buffer (a new handle on the first step).
Napi::Value SgdUpdate(const Napi::CallbackInfo& info) {
  at::NoGradGuard guard;
  at::Tensor& w = Unwrap(info[0]);
  c10::optional<at::Tensor> g = UnwrapOptional(info[1]);
  c10::optional<at::Tensor> buf = UnwrapOptional(info[2]);
  double lr = Num(info, 3), momentum = Num(info, 4), wd = Num(info, 5), scale = Num(info, 6);
  at::Tensor d = g ? at::add(at::mul(*g, scale), w, wd) : at::mul(w, wd);
  Napi::Value result;
  if (buf) {
    buf->mul_(momentum).add_(d);
    result = info[2];
    w.sub_(*buf, lr);
  } else {
    w.sub_(d, lr);
    result = Wrap(info.Env(), d);
  }
  return result;
}

// One Adam update of w in place (PyTorch's formula, no weight decay): m = b1·m + (1 − b1)·g, v = b2·v + (1 − b2)·g²,
// w −= stepSize · m / (√v / √(1 − b2^t) + eps), with stepSize = lr / (1 − b1^t) computed by the caller.
Napi::Value AdamUpdate(const Napi::CallbackInfo& info) {
  at::NoGradGuard guard;
  at::Tensor& w = Unwrap(info[0]);
  const at::Tensor& g = Unwrap(info[1]);
  at::Tensor& m = Unwrap(info[2]);
  at::Tensor& v = Unwrap(info[3]);
  double stepSize = Num(info, 4), sqrtBc2 = Num(info, 5), b1 = Num(info, 6), b2 = Num(info, 7), eps = Num(info, 8);
  m.mul_(b1).add_(g, 1 - b1);
  v.mul_(b2).addcmul_(g, g, 1 - b2);
  at::Tensor denom = v.sqrt().div_(sqrtBc2).add_(eps);
  w.addcdiv_(m, denom, -stepSize);
  return info.Env().Undefined();
}

// ---- runtime ----

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  at::set_num_threads(static_cast<int>(Int(info, 0)));
  return info.Env().Undefined();
}

Napi::Value NumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), at::get_num_threads());
}

Napi::Value CudaAvailable(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), at::hasCUDA());
}

Napi::Value SetDevice(const Napi::CallbackInfo& info) {
  at::Device d(info[0].As<Napi::String>().Utf8Value());
  if (d.is_cuda() && !at::hasCUDA()) throw std::invalid_argument("this libtorch has no CUDA device");
  current_device = d;
  return info.Env().Undefined();
}

Napi::Value ManualSeed(const Napi::CallbackInfo& info) {
  at::manual_seed(static_cast<uint64_t>(Int(info, 0)));
  return info.Env().Undefined();
}

Napi::Value Version(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), std::to_string(TORCH_VERSION_MAJOR) + "." +
                                           std::to_string(TORCH_VERSION_MINOR) + "." +
                                           std::to_string(TORCH_VERSION_PATCH));
}

#define EXPORT(name, fn) exports.Set(name, Napi::Function::New(env, Guard<fn>, name))

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // Large activations come and go every step: serve them from mmap above 32 MB and return freed memory only above
  // 1 GB of slack, which avoids a page-fault storm from glibc trimming and re-faulting the heap each step.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  EXPORT("fromFloat32", FromFloat32);
  EXPORT("fromInt32AsLong", FromInt32AsLong);
  EXPORT("toFloat32", ToFloat32);
  EXPORT("item", Item);
  EXPORT("shape", Shape);
  EXPORT("dispose", Dispose);
  EXPORT("liveTensors", LiveTensors);
  EXPORT("setRequiresGrad", SetRequiresGrad);
  EXPORT("detach", Detach);
  EXPORT("clone", Clone);
  EXPORT("permute", Permute);
  EXPORT("reshape", Reshape);
  EXPORT("narrow", Narrow);
  EXPORT("indexSelect", IndexSelect);
  EXPORT("expand", Expand);
  EXPORT("conv2d", Conv2d);
  EXPORT("batchNorm", BatchNorm);
  EXPORT("relu", Relu);
  EXPORT("add", Add);
  EXPORT("sub", Sub);
  EXPORT("addN", AddN);
  EXPORT("mul", Mul);
  EXPORT("mulScalar", MulScalar);
  EXPORT("addScalar", AddScalar);
  EXPORT("sigmoid", Sigmoid);
  EXPORT("tanh", Tanh);
  EXPORT("abs", Abs);
  EXPORT("square", Square);
  EXPORT("sum", Sum);
  EXPORT("mean", Mean);
  EXPORT("avgPool2d", AvgPool2d);
  EXPORT("linear", Linear);
  EXPORT("matMul", MatMul);
  EXPORT("crossEntropy", CrossEntropy);
  EXPORT("zerosLike", ZerosLike);
  EXPORT("onesLike", OnesLike);
  EXPORT("full", Full);
  EXPORT("accuracy", Accuracy);
  EXPORT("grad", Grad);
  EXPORT("setGradEnabled", SetGradEnabled);
  EXPORT("sumSquares", SumSquares);
  EXPORT("sgdUpdate", SgdUpdate);
  EXPORT("adamUpdate", AdamUpdate);
  EXPORT("setNumThreads", SetNumThreads);
  EXPORT("numThreads", NumThreads);
  EXPORT("cudaAvailable", CudaAvailable);
  EXPORT("setDevice", SetDevice);
  EXPORT("manualSeed", ManualSeed);
  EXPORT("version", Version);
  return exports;
}

}  // namespace

NODE_API_MODULE(nas_torch, Init)
