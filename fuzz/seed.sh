#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the real courses and the test fixtures. The corpus is not
# tracked; run this before the first `cargo fuzz run`. Usage: fuzz/seed.sh
set -euo pipefail
fuzz="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$fuzz")"
mkdir -p "$fuzz"/corpus/{course_folder,question_bank,gift_import}

# Course folders to seed from: every real course, the good fixtures, and broken fixtures
# whose mistakes sit in different files.
folders=("$repo"/courses/*/ "$repo"/tests/fixtures/courses/good/*/)
for b in block-nested block-unclosed block-unknown-group image-without-alt lesson-no-title \
    question-duplicate-id question-invalid-id question-unknown-setting question-unknown-type \
    question-truefalse-bad-answer quota-more-than-tagged unknown-setting wrong-value-type; do
  folders+=("$repo/tests/fixtures/courses/broken/$b/")
done

# Pictures point at the one image the scratch folder has (images/hinh.svg).
picture() { sed -E 's#\]\(\.?/?images/[^)]*\)#](images/hinh.svg)#g' "$1" 2>/dev/null || true; }

for dir in "${folders[@]}"; do
  [ -f "$dir/course.md" ] || continue
  name="$(basename "$dir")"
  mapfile -t lessons < <(find "$dir" -maxdepth 1 -name '[0-9]*.md' | sort | head -n 2)
  {
    picture "$dir/course.md"; printf '\0'
    picture "${lessons[0]:-/dev/null}"; printf '\0'
    picture "${lessons[1]:-/dev/null}"; printf '\0'
    cat "$dir/questions.md" 2>/dev/null || true
  } > "$fuzz/corpus/course_folder/seed-$name"
  if [ -f "$dir/questions.md" ]; then
    cp "$dir/questions.md" "$fuzz/corpus/question_bank/seed-$name"
  fi
done

# GIFT: the real banks exported (when a hocvuso binary is built) and hand-written items for
# what export never writes.
bin="$(ls "$repo"/target/{release,debug}/hocvuso 2>/dev/null | head -n 1 || true)"
if [ -n "$bin" ]; then
  for dir in "$repo"/courses/*/; do
    "$bin" courses export-gift "$dir" > "$fuzz/corpus/gift_import/seed-$(basename "$dir")" 2>/dev/null || true
  done
fi
g="$fuzz/corpus/gift_import"
printf '// [tag:tt02-4.2]\n::Câu 1::[html]Mật khẩu nào an toàn?{\n~123456#Quá ngắn\n=Con mèo ăn cá#Đúng\n~%%-50%%abc\n####Dài thì khó đoán.}\n' > "$g/hand-single"
printf '$CATEGORY: $course$/An toàn\n\n::q2::Chọn tất cả{\n~%%50%%a\n~%%50%%b\n~%%-100%%c\n}\n\n::q3::OTP có thể cho người khác.{FALSE#sai}\n\n::q4::Tên app?{=VNeID =%%50%%Vneid}\n' > "$g/hand-kinds"
printf '::q5::Viết cảm nghĩ{}\n\n::q6::Ghép{=a -> 1 =b -> 2}\n\n::q7::Bao nhiêu?{#12:1}\n\nChỉ là mô tả.\n\n::q8::Thủ đô là {=Hà Nội ~Huế} của Việt Nam.\n\n::q9::Thoát \\{ \\} \\= \\~ \\# \\: \\\\ \\n{T}\n' > "$g/hand-unsupported"
echo "seeded: $(ls "$fuzz"/corpus/course_folder | wc -l) course_folder, $(ls "$fuzz"/corpus/question_bank | wc -l) question_bank, $(ls "$g" | wc -l) gift_import"
