//===- EnumOption.h - Enum-valued options -----------------------*- C++ -*-===//
//
// Every option of potq that takes one of a fixed set of words (`kernels`,
// `strategy`, `isa`, `weight-scales`, `mode`, `granularity`, `format`,
// `recode`, and the matching potq-translate flags) is an llvm::cl option of a
// C++ enum, filled by `llvm::cl::values`. Its enum, and the one list of its
// words, live next to the passes that use it; pass options (ODS), pipeline
// options and tool flags all take that list, so a word is spelled once.
//
// This header gives those enums a parser: llvm::cl's mapping parser, except
// that a word naming none of the allowed values is reported with the allowed
// values,
//
//   potq-opt: for the --kernels option: invalid value 'simd' (expected loops
//   or runtime)
//
// (llvm::cl's own parser says "Cannot find option named 'simd'!"). The value
// is rejected when the pass pipeline is parsed, before any pass runs. An enum
// opts in with POTQ_ENUM_OPTION_PARSER(Enum), at global scope, right after
// its declaration and before any option of its type.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_SUPPORT_ENUMOPTION_H
#define POTQ_SUPPORT_ENUMOPTION_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/CommandLine.h"

#include <cassert>
#include <string>

namespace potq {

/// llvm::cl::parser<Enum>: the values llvm::cl::values adds, looked up by
/// name; a bad name is an error listing the allowed ones.
template <typename Enum>
class EnumOptionParser : public llvm::cl::generic_parser_base {
protected:
  class OptionInfo : public GenericOptionInfo {
  public:
    OptionInfo(llvm::StringRef name, Enum value, llvm::StringRef help)
        : GenericOptionInfo(name, help), V(value) {}
    llvm::cl::OptionValue<Enum> V;
  };
  /// `Values`, `V`, `Name`: the names MLIR's GenericOptionParser reads to
  /// print an option's value back (llvm::cl::parser's layout).
  llvm::SmallVector<OptionInfo, 8> Values;

public:
  using parser_data_type = Enum;

  explicit EnumOptionParser(llvm::cl::Option &owner)
      : generic_parser_base(owner) {}

  unsigned getNumOptions() const override { return unsigned(Values.size()); }
  llvm::StringRef getOption(unsigned n) const override {
    return Values[n].Name;
  }
  llvm::StringRef getDescription(unsigned n) const override {
    return Values[n].HelpStr;
  }
  const llvm::cl::GenericOptionValue &
  getOptionValue(unsigned n) const override {
    return Values[n].V;
  }

  /// The allowed names in order: "a", "a or b", "a, b or c".
  std::string allowedValues() const {
    std::string list;
    for (size_t i = 0, e = Values.size(); i < e; ++i) {
      if (i != 0)
        list += i + 1 == e ? " or " : ", ";
      list += Values[i].Name.str();
    }
    return list;
  }

  /// Sets `value` to the value named `arg`; true (and a diagnostic) if no
  /// value has that name.
  bool parse(llvm::cl::Option &option, llvm::StringRef argName,
             llvm::StringRef arg, Enum &value) {
    llvm::StringRef name = Owner.hasArgStr() ? arg : argName;
    for (const OptionInfo &info : Values)
      if (info.Name == name) {
        value = info.V.getValue();
        return false;
      }
    return option.error("invalid value '" + name + "' (expected " +
                        allowedValues() + ")");
  }

  /// Adds the value `value` named `name` (llvm::cl::values calls this).
  template <typename T>
  void addLiteralOption(llvm::StringRef name, const T &value,
                        llvm::StringRef help) {
    assert(findOption(name) == Values.size() && "value named twice");
    Values.push_back(OptionInfo(name, static_cast<Enum>(value), help));
    AddLiteralOption(Owner, name);
  }

  void removeLiteralOption(llvm::StringRef name) {
    unsigned n = findOption(name);
    assert(n != Values.size() && "no value has this name");
    Values.erase(Values.begin() + n);
  }
};

} // namespace potq

/// Makes options of type `ENUM` (fully qualified) use potq::EnumOptionParser:
/// llvm::cl::opt<ENUM> and MLIR pass and pipeline options. At global scope,
/// before any option of type `ENUM` is declared.
#define POTQ_ENUM_OPTION_PARSER(ENUM)                                          \
  namespace llvm {                                                             \
  namespace cl {                                                               \
  template <> class parser<ENUM> : public ::potq::EnumOptionParser<ENUM> {     \
  public:                                                                      \
    explicit parser(Option &owner) : ::potq::EnumOptionParser<ENUM>(owner) {}  \
  };                                                                           \
  }                                                                            \
  }

#endif // POTQ_SUPPORT_ENUMOPTION_H
