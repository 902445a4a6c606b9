//===- Compiler.cpp - potq.compile: the compiler and runners in Python ----===//
//
// A module compiled in-process, with the code the tools run:
//   - compile: parse, then the pass pipeline as `potq-opt --pass-pipeline`
//     reads it (parseModulePipeline);
//   - run: potq-lower-to-llvm and the JIT of `potq-run --jit`
//     (jit::CompiledFunction, compiled once and called per batch);
//   - interpret: the reference interpreter of `potq-run --interpret`, on the
//     module as given;
//   - objectFile / cHeader: the emitters of `potq-translate --emit=obj` and
//     `--emit=header` (exportObjectFile, exportCHeader), with
//     `--dynamic-dim-size` as specializeDynamicDims.
// Arguments and results cross as .npy arrays (tensorFromNpy/tensorToNpy),
// the very mapping potq-run applies to --input and --output files. Errors
// carry the MLIR diagnostics as the tools print them (file:line:col). A
// file is read as potq-opt reads its input, through potq's bounded reader.
//
//===----------------------------------------------------------------------===//

#include "Bindings.h"

#include "potq/ExecutionEngine/JitRunner.h"
#include "potq/InitAllPasses.h"
#include "potq/Interpreter/Interpreter.h"
#include "potq/Limits.h"
#include "potq/Pipelines/Pipelines.h"
#include "potq/Support/InputFile.h"
#include "potq/Target/CHeader/ExportCHeader.h"
#include "potq/Target/Export.h"
#include "potq/Target/ObjectFile/ExportObjectFile.h"
#include "potq/TensorIO/Entry.h"
#include "potq/TensorIO/Npy.h"
#include "potq/TensorIO/TensorIO.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstring>
#include <mutex>
#include <optional>

namespace py = pybind11;
using namespace mlir;
namespace interp = ::potq::interp;
namespace npy = ::potq::npy;

namespace {

/// A failure of the compiler (parsing, the pipeline, lowering, the JIT or an
/// emitter): potq.CompileError.
struct CompileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
/// A failure while running a compiled or interpreted function (the
/// interpreter's undefined-behaviour and overflow checks, a failed call):
/// potq.ExecutionError.
struct ExecutionError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Collects the diagnostics of one context as the tools print them: located
/// ones through a SourceMgr ("file:line:col: error: ..." with the source
/// line), unlocated ones as "error: ..." (potq-translate's wording, without
/// the tool name).
class Diagnostics {
public:
  Diagnostics(MLIRContext &context, std::unique_ptr<llvm::MemoryBuffer> source)
      : os(text), located(sourceMgr, &context, os),
        unlocated(&context, [this](Diagnostic &diag) {
          if (!isa<UnknownLoc>(diag.getLocation()))
            return failure();
          print(diag);
          for (Diagnostic &note : diag.getNotes())
            print(note);
          return success();
        }) {
    sourceMgr.AddNewSourceBuffer(std::move(source), llvm::SMLoc());
  }

  const llvm::SourceMgr &getSourceMgr() const { return sourceMgr; }

  /// What was reported since the last take(), emptied.
  std::string take() {
    std::string result = std::move(text);
    text.clear();
    return result;
  }

private:
  void print(Diagnostic &diag) {
    switch (diag.getSeverity()) {
    case DiagnosticSeverity::Error:
      os << "error: ";
      break;
    case DiagnosticSeverity::Warning:
      os << "warning: ";
      break;
    case DiagnosticSeverity::Remark:
      os << "remark: ";
      break;
    case DiagnosticSeverity::Note:
      os << "note: ";
      break;
    }
    os << diag.str() << "\n";
  }

  std::string text;
  llvm::raw_string_ostream os;
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler located;
  ScopedDiagnosticHandler unlocated;
};

/// A path compile() cannot read: raised as the OSError subclass that names
/// the reason (FileNotFoundError, NotADirectoryError, IsADirectoryError,
/// PermissionError, else OSError, e.g. for a file over potq's input limit).
struct InputFileError : std::runtime_error {
  InputFileError(const std::string &message, PyObject *type)
      : std::runtime_error(message), type(type) {}
  PyObject *type;
};

/// `path` read as potq-opt reads its input: through potq's bounded reader
/// (potq/Support/InputFile.h, potq::kMaxInputFileBytes), so that a device
/// or a huge file is refused instead of exhausting memory, with potq-opt's
/// message. "-" is a file of that name here, not stdin. Runs without the
/// GIL: only the C++ exception is made here.
std::unique_ptr<llvm::MemoryBuffer> readInputFile(const std::string &path) {
  std::string error;
  std::string open = path == "-" ? "./-" : path;
  std::unique_ptr<llvm::MemoryBuffer> buffer =
      potq::openBoundedInputFile(open, potq::kMaxInputFileBytes, error);
  if (buffer)
    return buffer; // diagnostics name "./-" ("-" would read as <stdin>)
  // The reader reports the reason as text: the Python type comes from the
  // file's status, or from opening it.
  PyObject *type = PyExc_OSError;
  llvm::sys::fs::file_status status;
  std::error_code ec = llvm::sys::fs::status(open, status);
  int fd = -1;
  if (!ec && status.type() == llvm::sys::fs::file_type::directory_file)
    type = PyExc_IsADirectoryError;
  else if (!ec && status.type() == llvm::sys::fs::file_type::regular_file &&
           !(ec = llvm::sys::fs::openFileForRead(open, fd)))
    llvm::sys::fs::closeFile(fd); // not a FIFO: opening it cannot block
  if (ec == std::errc::no_such_file_or_directory)
    type = PyExc_FileNotFoundError;
  else if (ec == std::errc::not_a_directory)
    type = PyExc_NotADirectoryError;
  else if (ec == std::errc::permission_denied)
    type = PyExc_PermissionError;
  throw InputFileError("cannot open input file '" + path + "': " + error, type);
}

/// The registry of every dialect a compiled module may reach, with their
/// translations to LLVM IR (what potq-translate registers).
DialectRegistry makeRegistry() {
  DialectRegistry registry;
  potq::registerExportDialects(registry);
  return registry;
}

/// `op` as potq-opt writes it to a file.
std::string printOp(Operation *op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  op->print(os);
  os << "\n";
  return text;
}

/// A module compiled by potq.compile. Every method locks the module, so
/// Python threads may share one; the GIL is released while the compiler or
/// the compiled code runs.
class CompiledModule {
public:
  /// Compiles `source`, named by its buffer identifier in diagnostics.
  CompiledModule(std::unique_ptr<llvm::MemoryBuffer> source,
                 const std::string &pipeline, const std::string &entryName)
      : context(makeRegistry()),
        sourceName(source->getBufferIdentifier().str()),
        diagnostics(initContext(context), std::move(source)),
        pipeline(pipeline) {
    sourceModule =
        parseSourceFile<ModuleOp>(diagnostics.getSourceMgr(), &context);
    if (!sourceModule)
      throw CompileError("cannot parse or verify " + sourceName + ":\n" +
                         diagnostics.take());
    std::string error;
    func::FuncOp func =
        potq::findEntryFunction(*sourceModule, entryName, "entry=NAME", error);
    if (!func)
      throw py::value_error(error);
    entry = func.getSymName().str();
    compiledModule = sourceModule->clone();
    PassManager pm(&context);
    if (failed(potq::parseModulePipeline(*compiledModule, pipeline, "pipeline",
                                         pm)) ||
        failed(pm.run(*compiledModule)))
      throw CompileError("the pipeline failed:\n" + diagnostics.take());
    if (!compiledModule->lookupSymbol<func::FuncOp>(entry))
      throw CompileError("the pipeline removed the entry function @" + entry);
    compileDiagnostics = diagnostics.take();
  }

  const std::string &getEntry() const { return entry; }
  const std::string &getPipeline() const { return pipeline; }
  const std::string &getCompileDiagnostics() const {
    return compileDiagnostics;
  }

  std::string compiledText() {
    std::lock_guard<std::mutex> lock(mutex);
    return printOp(compiledModule->getOperation());
  }
  std::string sourceText() {
    std::lock_guard<std::mutex> lock(mutex);
    return printOp(sourceModule->getOperation());
  }

  /// The signature of the entry function in the compiled module (what run
  /// takes) or in the source (what interpret takes).
  FunctionType signature(bool compiled) {
    ModuleOp module = compiled ? *compiledModule : *sourceModule;
    return module.lookupSymbol<func::FuncOp>(entry).getFunctionType();
  }

  /// `potq-run --jit`: the compiled module lowered and JIT-compiled on the
  /// first call, then called.
  SmallVector<interp::Tensor> run(ArrayRef<interp::Tensor> args) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!jitted) {
      potq::jit::JitOptions options;
      options.pipeline = ""; // compiled already
      options.pipelineName = "pipeline";
      FailureOr<std::unique_ptr<potq::jit::CompiledFunction>> function =
          potq::jit::CompiledFunction::create(*compiledModule, entry, options);
      if (failed(function))
        throw CompileError("JIT compilation of @" + entry + " failed:\n" +
                           diagnostics.take());
      jitted = std::move(*function);
    }
    FailureOr<SmallVector<interp::Tensor>> results = jitted->call(args);
    if (failed(results))
      throw ExecutionError("running @" + entry + " failed:\n" +
                           diagnostics.take());
    return std::move(*results);
  }

  /// `potq-run --interpret` on the source module.
  SmallVector<interp::Tensor> interpret(ArrayRef<interp::Tensor> args) {
    std::lock_guard<std::mutex> lock(mutex);
    interp::InterpreterOptions options;
    options.modeName = "potq.CompiledModule.interpret";
    FailureOr<SmallVector<interp::Tensor>> results = interp::interpret(
        sourceModule->lookupSymbol<func::FuncOp>(entry), args, options);
    if (failed(results))
      throw ExecutionError("interpreting @" + entry + " failed:\n" +
                           diagnostics.take());
    return std::move(*results);
  }

  /// `potq-translate --emit=obj`.
  std::string objectFile(std::optional<int64_t> dynamicDimSize,
                         const potq::TargetSelection &target,
                         unsigned optLevel) {
    potq::ObjectFileOptions options;
    options.hooks = hooks(dynamicDimSize);
    options.target = target;
    options.optLevel = optLevel;
    return emit("the object file", [&](ModuleOp copy, llvm::raw_ostream &os) {
      return potq::exportObjectFile(copy, potq::ObjectFileKind::Object, os,
                                    options);
    });
  }

  /// `potq-translate --emit=header`.
  std::string cHeader(std::optional<int64_t> dynamicDimSize,
                      const std::string &headerName,
                      const std::string &sourceName) {
    potq::CHeaderOptions options;
    options.hooks = hooks(dynamicDimSize);
    options.name = "save_header";
    options.dynamicShapeHint = "pass dynamic_dim_size=N";
    options.generator = "potq.CompiledModule.save_header";
    options.sourceName = sourceName;
    options.headerName = headerName;
    return emit("the C header", [&](ModuleOp copy, llvm::raw_ostream &os) {
      return potq::exportCHeader(copy, os, options);
    });
  }

private:
  /// What `exportTo(module, os)` writes for a copy of the compiled module
  /// (the emitters' prepare hooks rewrite the module they are given);
  /// CompileError naming `what` on failure.
  template <typename Export>
  std::string emit(const char *what, Export exportTo) {
    std::lock_guard<std::mutex> lock(mutex);
    OwningOpRef<ModuleOp> copy = compiledModule->clone();
    std::string out;
    llvm::raw_string_ostream os(out);
    if (failed(exportTo(*copy, os)))
      throw CompileError(std::string("emitting ") + what + " failed:\n" +
                         diagnostics.take());
    return out;
  }

  static MLIRContext &initContext(MLIRContext &context) {
    context.loadAllAvailableDialects();
    context.printOpOnDiagnostic(false);
    return context;
  }

  static potq::ExportHooks hooks(std::optional<int64_t> dynamicDimSize) {
    potq::ExportHooks hooks;
    if (dynamicDimSize)
      hooks.prepare = [size = *dynamicDimSize](ModuleOp module) {
        return potq::specializeDynamicDims(module, size, "dynamic_dim_size");
      };
    return hooks;
  }

  MLIRContext context;
  std::string sourceName;
  Diagnostics diagnostics;
  std::string pipeline;
  std::string entry;
  std::string compileDiagnostics;
  OwningOpRef<ModuleOp> sourceModule;
  OwningOpRef<ModuleOp> compiledModule;
  std::unique_ptr<potq::jit::CompiledFunction> jitted;
  std::mutex mutex;
};

/// Python arguments as the entry function's arguments, through the .npy
/// mapping of potq-run --input (TensorIO.h). Errors name the argument.
SmallVector<interp::Tensor> toTensors(const py::tuple &arrays,
                                      FunctionType type,
                                      const std::string &entry) {
  std::string function = "@" + entry;
  if (arrays.size() != type.getNumInputs())
    throw py::value_error(function + " takes " +
                          std::to_string(type.getNumInputs()) +
                          " argument(s), got " + std::to_string(arrays.size()));
  int64_t maxElements = interp::InterpreterOptions().maxElements;
  SmallVector<interp::Tensor> tensors;
  for (size_t i = 0; i < arrays.size(); ++i) {
    std::string name = "argument " + std::to_string(i) + " of " + function;
    py::array array = py::array::ensure(arrays[i], py::array::c_style);
    if (!array)
      throw py::type_error(
          name + " must be a NumPy array, got " +
          py::str(py::type::of(arrays[i])).cast<std::string>());
    std::string descr = py::str(array.dtype().attr("str")).cast<std::string>();
    llvm::Expected<npy::DType> dtype = npy::parseDescr(descr);
    if (!dtype)
      throw py::type_error(name + ": " + llvm::toString(dtype.takeError()));
    std::vector<int64_t> shape(array.shape(), array.shape() + array.ndim());
    if (array.size() > maxElements)
      throw py::value_error(name + " has " + std::to_string(array.size()) +
                            " elements, more than the limit of " +
                            std::to_string(maxElements));
    npy::Array data(*dtype, shape);
    std::memcpy(data.data.data(), array.data(), data.data.size());
    llvm::Expected<interp::Tensor> tensor =
        interp::tensorFromNpy(data, type.getInput(i));
    if (!tensor)
      throw py::value_error(name + ": " + llvm::toString(tensor.takeError()));
    tensors.push_back(std::move(*tensor));
  }
  return tensors;
}

/// Results as NumPy arrays (potq-run --output's dtypes): one array, or a
/// tuple of them when the function returns several (or none).
py::object toPython(ArrayRef<interp::Tensor> results) {
  py::list arrays;
  for (auto [index, tensor] : llvm::enumerate(results)) {
    llvm::Expected<npy::Array> data = interp::tensorToNpy(tensor);
    if (!data)
      throw ExecutionError("result " + std::to_string(index) + ": " +
                           llvm::toString(data.takeError()));
    py::array array(
        py::dtype(npy::getDescr(data->dtype).str()),
        std::vector<py::ssize_t>(data->shape.begin(), data->shape.end()));
    std::memcpy(array.mutable_data(), data->data.data(), data->data.size());
    arrays.append(array);
  }
  if (arrays.size() == 1)
    return arrays[0];
  return py::tuple(arrays);
}

/// Runs `method` of `module` on `arrays` without the GIL.
template <typename Method>
py::object call(CompiledModule &module, const py::tuple &arrays, bool compiled,
                Method method) {
  SmallVector<interp::Tensor> args =
      toTensors(arrays, module.signature(compiled), module.getEntry());
  SmallVector<interp::Tensor> results;
  {
    py::gil_scoped_release release;
    results = (module.*method)(args);
  }
  return toPython(results);
}

std::vector<std::string> typeStrings(TypeRange types) {
  std::vector<std::string> result;
  for (Type type : types) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << type;
    result.push_back(text);
  }
  return result;
}

} // namespace

void potq::python::bindCompiler(py::module_ &m) {
  // Pipelines are read by pass name, as potq-opt reads them.
  potq::registerAllPasses();
  py::register_exception<CompileError>(m, "CompileError", PyExc_RuntimeError);
  py::register_exception<ExecutionError>(m, "ExecutionError",
                                         PyExc_RuntimeError);
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error)
        std::rethrow_exception(error);
    } catch (const InputFileError &e) {
      // A path need not be UTF-8: its bytes are shown escaped.
      py::object message =
          py::reinterpret_steal<py::object>(PyUnicode_DecodeUTF8(
              e.what(), Py_ssize_t(std::strlen(e.what())), "backslashreplace"));
      if (message)
        PyErr_SetObject(e.type, message.ptr());
    }
  });

  py::class_<CompiledModule>(m, "_CompiledModule",
                             "potq.compile's module (see potq.compiler)")
      .def(py::init([](const std::string &source, const std::string &sourceName,
                       const std::string &pipeline, const std::string &entry) {
             py::gil_scoped_release release;
             return std::make_unique<CompiledModule>(
                 llvm::MemoryBuffer::getMemBufferCopy(source, sourceName),
                 pipeline, entry);
           }),
           py::arg("source"), py::arg("source_name"), py::arg("pipeline"),
           py::arg("entry"))
      .def_static(
          "from_file",
          [](const std::string &path, const std::string &pipeline,
             const std::string &entry) {
            py::gil_scoped_release release;
            return std::make_unique<CompiledModule>(readInputFile(path),
                                                    pipeline, entry);
          },
          py::arg("path"), py::arg("pipeline"), py::arg("entry"),
          "The module in the file `path`, read as potq-opt reads its input.")
      .def_property_readonly("entry", &CompiledModule::getEntry)
      .def_property_readonly("pipeline", &CompiledModule::getPipeline)
      .def_property_readonly("diagnostics",
                             &CompiledModule::getCompileDiagnostics)
      .def_property_readonly("mlir", &CompiledModule::compiledText)
      .def_property_readonly("source_mlir", &CompiledModule::sourceText)
      .def(
          "signature",
          [](CompiledModule &self, bool compiled) {
            FunctionType type = self.signature(compiled);
            return py::make_tuple(typeStrings(type.getInputs()),
                                  typeStrings(type.getResults()));
          },
          py::arg("compiled"))
      .def("run",
           [](CompiledModule &self, const py::args &arrays) {
             return call(self, arrays, true, &CompiledModule::run);
           })
      .def("interpret",
           [](CompiledModule &self, const py::args &arrays) {
             return call(self, arrays, false, &CompiledModule::interpret);
           })
      .def(
          "object_file",
          [](CompiledModule &self, std::optional<int64_t> dynamicDimSize,
             const std::string &preset, const std::string &triple,
             const std::string &cpu, const std::string &features,
             unsigned optLevel) {
            std::string bytes;
            {
              py::gil_scoped_release release;
              bytes = self.objectFile(
                  dynamicDimSize, {preset, triple, cpu, features}, optLevel);
            }
            return py::bytes(bytes);
          },
          py::arg("dynamic_dim_size"), py::arg("preset"), py::arg("target"),
          py::arg("cpu"), py::arg("features"), py::arg("opt_level"))
      .def(
          "c_header",
          [](CompiledModule &self, std::optional<int64_t> dynamicDimSize,
             const std::string &headerName, const std::string &sourceName) {
            py::gil_scoped_release release;
            return self.cHeader(dynamicDimSize, headerName, sourceName);
          },
          py::arg("dynamic_dim_size"), py::arg("header_name"),
          py::arg("source_name"));
}
