// A dynamic public function called by another one.
func.func @inner(%x: tensor<?xf32>) -> tensor<?xf32> {
  return %x : tensor<?xf32>
}

func.func @outer(%x: tensor<?xf32>) -> tensor<?xf32> {
  %y = func.call @inner(%x) : (tensor<?xf32>) -> tensor<?xf32>
  return %y : tensor<?xf32>
}
