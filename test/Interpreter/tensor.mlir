// tensor dialect ops: element access, slices, reshapes, padding.

// RUN: potq-run %s --entry=access --print | FileCheck %s --check-prefix=ACCESS
// RUN: potq-run %s --entry=slices --print | FileCheck %s --check-prefix=SLICES
// RUN: potq-run %s --entry=reshapes --print | FileCheck %s --check-prefix=RESHAPE
// RUN: potq-run %s --entry=padding --print | FileCheck %s --check-prefix=PAD
// RUN: not potq-run %s --entry=bad_cast 2>&1 | FileCheck %s --check-prefix=BADCAST

// tensor.empty is zero-filled; insert/extract, from_elements, splat (static
// and dynamic), dim, rank, generate.
// ACCESS: result 0: tensor<2x2xi32> = {{\[\[}}0, 0], [0, 7]]
// ACCESS: result 1: i32 = 7
// ACCESS: result 2: tensor<3xf32> = [1.5, -2, 1.5]
// ACCESS: result 3: tensor<2x3xi8> = {{\[\[}}5, 5, 5], [5, 5, 5]]
// ACCESS: result 4: index = 3
// ACCESS: result 5: index = 2
// ACCESS: result 6: tensor<2x3xindex> = {{\[\[}}0, 1, 2], [1, 2, 3]]
// ACCESS: result 7: tensor<0x3xf32> = []
func.func @access() -> (tensor<2x2xi32>, i32, tensor<3xf32>, tensor<2x3xi8>, index, index,
                        tensor<2x3xindex>, tensor<0x3xf32>) {
  %e = tensor.empty() : tensor<2x2xi32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %seven = arith.constant 7 : i32
  %0 = tensor.insert %seven into %e[%c1, %c1] : tensor<2x2xi32>
  %1 = tensor.extract %0[%c1, %c1] : tensor<2x2xi32>
  %a = arith.constant 1.5 : f32
  %b = arith.constant -2.0 : f32
  %2 = tensor.from_elements %a, %b, %a : tensor<3xf32>
  %five = arith.constant 5 : i8
  %s = tensor.splat %five[%c3] : tensor<2x?xi8>
  %3 = tensor.cast %s : tensor<2x?xi8> to tensor<2x3xi8>
  %4 = tensor.dim %s, %c1 : tensor<2x?xi8>
  %5 = tensor.rank %s : tensor<2x?xi8>
  %6 = tensor.generate %c3 {
  ^bb0(%i: index, %j: index):
    %v = arith.addi %i, %j : index
    tensor.yield %v : index
  } : tensor<2x?xindex>
  %r6 = tensor.cast %6 : tensor<2x?xindex> to tensor<2x3xindex>
  %7 = tensor.empty() : tensor<0x3xf32>
  return %0, %1, %2, %3, %4, %5, %r6, %7 : tensor<2x2xi32>, i32, tensor<3xf32>, tensor<2x3xi8>,
      index, index, tensor<2x3xindex>, tensor<0x3xf32>
}

// extract_slice: a strided 2x2 window, a rank-reducing row with dynamic
// offset; insert_slice writes a 2x2 block; concat along dim 1.
// SLICES: result 0: tensor<2x2xi32> = {{\[\[}}1, 3], [9, 11]]
// SLICES: result 1: tensor<3xi32> = [5, 6, 7]
// SLICES: result 2: tensor<3x4xi32> = {{\[\[}}0, 1, 2, 3], [4, -1, -2, 7], [8, -3, -4, 11]]
// SLICES: result 3: tensor<2x3xi32> = {{\[\[}}1, 2, 9], [3, 4, 8]]
func.func @slices() -> (tensor<2x2xi32>, tensor<3xi32>, tensor<3x4xi32>, tensor<2x3xi32>) {
  %m = arith.constant dense<[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]> : tensor<3x4xi32>
  %0 = tensor.extract_slice %m[0, 1] [2, 2] [2, 2] : tensor<3x4xi32> to tensor<2x2xi32>
  %c1 = arith.constant 1 : index
  %1 = tensor.extract_slice %m[%c1, 1] [1, 3] [1, 1] : tensor<3x4xi32> to tensor<3xi32>
  %blk = arith.constant dense<[[-1, -2], [-3, -4]]> : tensor<2x2xi32>
  %2 = tensor.insert_slice %blk into %m[1, 1] [2, 2] [1, 1] : tensor<2x2xi32> into tensor<3x4xi32>
  %a = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32>
  %b = arith.constant dense<[[9], [8]]> : tensor<2x1xi32>
  %3 = tensor.concat dim(1) %a, %b : (tensor<2x2xi32>, tensor<2x1xi32>) -> tensor<2x3xi32>
  return %0, %1, %2, %3 : tensor<2x2xi32>, tensor<3xi32>, tensor<3x4xi32>, tensor<2x3xi32>
}

// collapse_shape/expand_shape/reshape keep the row-major data.
// RESHAPE: result 0: tensor<6xf32> = [1, 2, 3, 4, 5, 6]
// RESHAPE: result 1: tensor<3x2xf32> = {{\[\[}}1, 2], [3, 4], [5, 6]]
// RESHAPE: result 2: tensor<1x6xf32> = {{\[\[}}1, 2, 3, 4, 5, 6]]
// RESHAPE: result 3: tensor<f32> = 4
func.func @reshapes() -> (tensor<6xf32>, tensor<3x2xf32>, tensor<1x6xf32>, tensor<f32>) {
  %m = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %0 = tensor.collapse_shape %m [[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
  %c3 = arith.constant 3 : index
  %d = tensor.cast %0 : tensor<6xf32> to tensor<?xf32>
  %1 = tensor.expand_shape %d [[0, 1]] output_shape [%c3, 2] : tensor<?xf32> into tensor<?x2xf32>
  %r1 = tensor.cast %1 : tensor<?x2xf32> to tensor<3x2xf32>
  %shape = arith.constant dense<[1, 6]> : tensor<2xi64>
  %2 = tensor.reshape %m(%shape) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<1x6xf32>
  %one = arith.constant dense<4.0> : tensor<1x1xf32>
  %3 = tensor.collapse_shape %one [] : tensor<1x1xf32> into tensor<f32>
  return %0, %r1, %2, %3 : tensor<6xf32>, tensor<3x2xf32>, tensor<1x6xf32>, tensor<f32>
}

// tensor.pad with a constant and with an index-dependent padding value.
// PAD: result 0: tensor<3x4xi8> = {{\[\[}}-1, 1, 2, -1], [-1, 3, 4, -1], [-1, -1, -1, -1]]
// PAD: result 1: tensor<2x3xindex> = {{\[\[}}1, 2, 12], [3, 4, 13]]
func.func @padding() -> (tensor<3x4xi8>, tensor<2x3xindex>) {
  %a = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %pv = arith.constant -1 : i8
  %0 = tensor.pad %a low[0, 1] high[1, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %pv : i8
  } : tensor<2x2xi8> to tensor<3x4xi8>
  %b = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xindex>
  %c1 = arith.constant 1 : index
  %1 = tensor.pad %b low[0, 0] high[0, %c1] {
  ^bb0(%i: index, %j: index):
    %ten = arith.constant 10 : index
    %t = arith.muli %i, %c1 : index
    %u = arith.addi %t, %ten : index
    %v = arith.addi %u, %j : index
    tensor.yield %v : index
  } : tensor<2x2xindex> to tensor<2x?xindex>
  %r1 = tensor.cast %1 : tensor<2x?xindex> to tensor<2x3xindex>
  return %0, %r1 : tensor<3x4xi8>, tensor<2x3xindex>
}

// A cast to a static shape that the runtime shape contradicts.
// BADCAST: error: 'tensor.cast' op source has runtime shape [3], which does not match 'tensor<4xf32>'
func.func @bad_cast() -> tensor<4xf32> {
  %a = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %d = tensor.cast %a : tensor<3xf32> to tensor<?xf32>
  %s = tensor.cast %d : tensor<?xf32> to tensor<4xf32>
  return %s : tensor<4xf32>
}
