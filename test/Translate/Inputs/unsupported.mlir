// Signatures the C header cannot express.
func.func @scalar_arg(%x: f32) -> f32 {
  return %x : f32
}
