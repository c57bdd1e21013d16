//! The community digital team (Tổ công nghệ số cộng đồng): residents a helper registers and assists.
