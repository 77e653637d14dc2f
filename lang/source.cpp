#include "source.hpp"

#include <algorithm>

namespace onus {

SourceFile::SourceFile(FileId id, std::string name, std::string text)
    : id_(id), name_(std::move(name)), text_(std::move(text)) {
  // A UTF-8 byte order mark carries no meaning: drop it so that columns start at 1.
  if (text_.size() >= 3 && static_cast<unsigned char>(text_[0]) == 0xEF &&
      static_cast<unsigned char>(text_[1]) == 0xBB && static_cast<unsigned char>(text_[2]) == 0xBF) {
    text_.erase(0, 3);
  }
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
  }
  // A trailing newline does not open a new (empty) line for diagnostics' purposes,
  // but an offset at the very end must still map somewhere: keep the entry.
}

std::uint32_t SourceFile::line_start(std::uint32_t line) const {
  if (line == 0) return 0;
  if (line > line_starts_.size()) return static_cast<std::uint32_t>(text_.size());
  return line_starts_[line - 1];
}

LineColumn SourceFile::line_column(std::uint32_t offset) const {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line = static_cast<std::uint32_t>(it - line_starts_.begin());
  const std::uint32_t start = line_starts_[line - 1];
  std::string_view before(text_.data() + start, offset - start);
  return LineColumn{line, count_code_points(before) + 1};
}

std::string_view SourceFile::line_text(std::uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  const std::uint32_t start = line_starts_[line - 1];
  std::uint32_t end = line < line_starts_.size() ? line_starts_[line] : static_cast<std::uint32_t>(text_.size());
  if (end > start && text_[end - 1] == '\n') --end;
  if (end > start && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(start, end - start);
}

std::string_view SourceFile::slice(const Span& span) const {
  const auto size = text_.size();
  const auto begin = std::min<std::size_t>(span.begin, size);
  const auto end = std::clamp<std::size_t>(span.end, begin, size);
  return std::string_view(text_).substr(begin, end - begin);
}

const SourceFile& SourceMap::add(std::string name, std::string text) {
  const auto id = static_cast<FileId>(files_.size() + 1);
  files_.push_back(std::make_unique<SourceFile>(id, std::move(name), std::move(text)));
  return *files_.back();
}

const SourceFile* SourceMap::get(FileId id) const {
  if (id == 0 || id > files_.size()) return nullptr;
  return files_[id - 1].get();
}

std::uint32_t count_code_points(std::string_view text) {
  std::uint32_t n = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool is_valid_utf8(std::string_view text, std::size_t& bad_offset) {
  std::size_t i = 0;
  const auto n = text.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = 0;
    std::uint32_t min = 0;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) { len = 2; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; min = 0x10000; }
    else { bad_offset = i; return false; }
    if (i + len > n) { bad_offset = i; return false; }
    std::uint32_t cp = c & (0xFF >> (len + 1));
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) { bad_offset = i; return false; }
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) { bad_offset = i; return false; }
    i += len;
  }
  return true;
}

}  // namespace onus
