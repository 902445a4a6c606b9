// potq-prepare-c-abi: public function definitions get a C interface and
// read-only tensor arguments; nothing else changes. Running it twice changes
// nothing more.
// RUN: potq-opt %s --potq-prepare-c-abi | FileCheck %s
// RUN: potq-opt %s --potq-prepare-c-abi --potq-prepare-c-abi | FileCheck %s

// CHECK-LABEL: func.func @f
// CHECK-SAME: (%{{.*}}: tensor<4xf32> {bufferization.writable = false}, %{{.*}}: index, %{{.*}}: tensor<2x?xi8> {bufferization.writable = false}) -> tensor<4xf32> attributes {llvm.emit_c_interface} {
func.func @f(%x: tensor<4xf32>, %n: index, %y: tensor<2x?xi8>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// Scalars only: a C interface, no argument attribute.
// CHECK-LABEL: func.func @scalars
// CHECK-SAME: (%{{[^:]*}}: f32) -> f32 attributes {llvm.emit_c_interface} {
func.func @scalars(%s: f32) -> f32 {
  return %s : f32
}

// Private functions and declarations are left alone.
// CHECK-LABEL: func.func private @helper
// CHECK-SAME: (%{{[^:]*}}: tensor<4xf32>) -> tensor<4xf32> {
func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// CHECK: func.func private @ext(tensor<4xf32>) -> tensor<4xf32>{{$}}
func.func private @ext(tensor<4xf32>) -> tensor<4xf32>

// An existing writable attribute is overridden: the C caller's buffers are
// never written.
// CHECK-LABEL: func.func @writable
// CHECK-SAME: (%{{.*}}: tensor<4xf32> {bufferization.writable = false})
func.func @writable(%x: tensor<4xf32> {bufferization.writable = true}) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
