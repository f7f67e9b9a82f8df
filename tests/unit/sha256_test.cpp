#include <gtest/gtest.h>

#include "models/common/sha256.hpp"

// Test vectors from FIPS 180-4 examples and NIST CAVS.
TEST(Sha256, KnownVectors) {
  EXPECT_EQ(capsim::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(capsim::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(capsim::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(capsim::sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Fed in pieces of every size (across block boundaries), the digest is the one-shot digest.
TEST(Sha256, IncrementalMatchesOneShot) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += static_cast<char>('a' + (i * 7) % 26);
  const std::string whole = capsim::sha256_hex(text);
  for (std::size_t piece : {1u, 3u, 63u, 64u, 65u, 127u, 200u}) {
    capsim::Sha256 h;
    for (std::size_t at = 0; at < text.size(); at += piece) h.update(std::string_view(text).substr(at, piece));
    EXPECT_EQ(h.hex_digest(), whole) << "pieces of " << piece;
  }
  EXPECT_EQ(capsim::digest_of(text).size_bytes, 300u);
}
