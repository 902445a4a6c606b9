// linalg structured ops, named and generic, all evaluated generically
// through the LinalgOp interface from their indexing maps and bodies.

// RUN: potq-run %s --entry=matmul --print | FileCheck %s --check-prefix=MATMUL
// RUN: potq-run %s --entry=conv --print | FileCheck %s --check-prefix=CONV
// RUN: potq-run %s --entry=pooling --print | FileCheck %s --check-prefix=POOL
// RUN: potq-run %s --entry=elementwise --print | FileCheck %s --check-prefix=ELEM
// RUN: potq-run %s --entry=generic --print | FileCheck %s --check-prefix=GENERIC
// RUN: potq-run %s --entry=map_reduce --print | FileCheck %s --check-prefix=MAPRED

// f32 matmul accumulating into a filled init: [[1,2,3],[4,5,6]] x
// [[7,8],[9,10],[11,12]] + 0.5. The i8 x i8 -> i32 matmul extends before
// multiplying (127 * 100 * 2 = 25400 does not wrap). batch_matmul per batch.
// MATMUL: result 0: tensor<2x2xf32> = {{\[\[}}58.5, 64.5], [139.5, 154.5]]
// MATMUL: result 1: tensor<2x1xi32> = {{\[\[}}0], [25400]]
// MATMUL: result 2: tensor<2x1x1xf32> = {{\[\[\[}}11]], {{\[\[}}-1]]]
func.func @matmul() -> (tensor<2x2xf32>, tensor<2x1xi32>, tensor<2x1x1xf32>) {
  %a = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = arith.constant dense<[[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]]> : tensor<3x2xf32>
  %half = arith.constant 0.5 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %c = linalg.fill ins(%half : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<2x3xf32>, tensor<3x2xf32>) outs(%c : tensor<2x2xf32>) -> tensor<2x2xf32>
  %x = arith.constant dense<[[100, -100], [127, 127]]> : tensor<2x2xi8>
  %y = arith.constant dense<[[100], [100]]> : tensor<2x1xi8>
  %zero = arith.constant 0 : i32
  %ei = tensor.empty() : tensor<2x1xi32>
  %ci = linalg.fill ins(%zero : i32) outs(%ei : tensor<2x1xi32>) -> tensor<2x1xi32>
  %1 = linalg.matmul ins(%x, %y : tensor<2x2xi8>, tensor<2x1xi8>) outs(%ci : tensor<2x1xi32>) -> tensor<2x1xi32>
  %p = arith.constant dense<[[[1.0, 2.0]], [[3.0, -4.0]]]> : tensor<2x1x2xf32>
  %q = arith.constant dense<[[[3.0], [4.0]], [[1.0], [1.0]]]> : tensor<2x2x1xf32>
  %fz = arith.constant 0.0 : f32
  %eb = tensor.empty() : tensor<2x1x1xf32>
  %cb = linalg.fill ins(%fz : f32) outs(%eb : tensor<2x1x1xf32>) -> tensor<2x1x1xf32>
  %2 = linalg.batch_matmul ins(%p, %q : tensor<2x1x2xf32>, tensor<2x2x1xf32>) outs(%cb : tensor<2x1x1xf32>) -> tensor<2x1x1xf32>
  return %0, %1, %2 : tensor<2x2xf32>, tensor<2x1xi32>, tensor<2x1x1xf32>
}

// conv_2d_nhwc_hwcf, stride 2, on x[r][c] = 4r + c with the filter
// [[1, 2], [3, 4]]: out = 10 * x[2i][2j] + 34 -> [[34, 54], [114, 134]].
// conv_2d_nchw_fchw, dilation 2, all-ones 2x2 filter on x[r][c] = 5r + c:
// out = 4 * x[i][j] + 24.
// depthwise_conv_2d_nhwc_hwc: channel 0 holds 3r + c, channel 1 10 + 3r + c.
// CONV: result 0: tensor<1x2x2x1xi32> = {{\[\[\[\[}}34], [54]], {{\[\[}}114], [134]]]]
// CONV: result 1: tensor<1x1x3x3xi32> = {{\[\[\[\[}}24, 28, 32], [44, 48, 52], [64, 68, 72]]]]
// CONV: result 2: tensor<1x2x2x2xi32> = {{\[\[\[\[}}5, 17], [7, 19]], {{\[\[}}11, 23], [13, 25]]]]
func.func @conv() -> (tensor<1x2x2x1xi32>, tensor<1x1x3x3xi32>, tensor<1x2x2x2xi32>) {
  %x = arith.constant dense<[[[[0], [1], [2], [3]], [[4], [5], [6], [7]],
                              [[8], [9], [10], [11]], [[12], [13], [14], [15]]]]> : tensor<1x4x4x1xi32>
  %f = arith.constant dense<[[[[1]], [[2]]], [[[3]], [[4]]]]> : tensor<2x2x1x1xi32>
  %zero = arith.constant 0 : i32
  %e0 = tensor.empty() : tensor<1x2x2x1xi32>
  %c0 = linalg.fill ins(%zero : i32) outs(%e0 : tensor<1x2x2x1xi32>) -> tensor<1x2x2x1xi32>
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %f : tensor<1x4x4x1xi32>, tensor<2x2x1x1xi32>) outs(%c0 : tensor<1x2x2x1xi32>) -> tensor<1x2x2x1xi32>
  %y = arith.constant dense<[[[[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13, 14],
                               [15, 16, 17, 18, 19], [20, 21, 22, 23, 24]]]]> : tensor<1x1x5x5xi32>
  %g = arith.constant dense<1> : tensor<1x1x2x2xi32>
  %e1 = tensor.empty() : tensor<1x1x3x3xi32>
  %c1 = linalg.fill ins(%zero : i32) outs(%e1 : tensor<1x1x3x3xi32>) -> tensor<1x1x3x3xi32>
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%y, %g : tensor<1x1x5x5xi32>, tensor<1x1x2x2xi32>) outs(%c1 : tensor<1x1x3x3xi32>) -> tensor<1x1x3x3xi32>
  %z = arith.constant dense<[[[[0, 10], [1, 11], [2, 12]], [[3, 13], [4, 14], [5, 15]],
                              [[6, 16], [7, 17], [8, 18]]]]> : tensor<1x3x3x2xi32>
  %h = arith.constant dense<[[[1, 2], [0, 1]], [[-1, 0], [2, -1]]]> : tensor<2x2x2xi32>
  %e2 = tensor.empty() : tensor<1x2x2x2xi32>
  %c2 = linalg.fill ins(%zero : i32) outs(%e2 : tensor<1x2x2x2xi32>) -> tensor<1x2x2x2xi32>
  %2 = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%z, %h : tensor<1x3x3x2xi32>, tensor<2x2x2xi32>) outs(%c2 : tensor<1x2x2x2xi32>) -> tensor<1x2x2x2xi32>
  return %0, %1, %2 : tensor<1x2x2x1xi32>, tensor<1x1x3x3xi32>, tensor<1x2x2x2xi32>
}

// 2x2 windows with stride 2 over x[r][c] = 4r + c: the max is the
// bottom-right element, the sum 4 * top-left + 10.
// POOL: result 0: tensor<1x2x2x1xf32> = {{\[\[\[\[}}5], [7]], {{\[\[}}13], [15]]]]
// POOL: result 1: tensor<1x2x2x1xf32> = {{\[\[\[\[}}10], [18]], {{\[\[}}42], [50]]]]
func.func @pooling() -> (tensor<1x2x2x1xf32>, tensor<1x2x2x1xf32>) {
  %x = arith.constant dense<[[[[0.0], [1.0], [2.0], [3.0]], [[4.0], [5.0], [6.0], [7.0]],
                              [[8.0], [9.0], [10.0], [11.0]], [[12.0], [13.0], [14.0], [15.0]]]]> : tensor<1x4x4x1xf32>
  %window = tensor.empty() : tensor<2x2xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x1xf32>
  %cmax = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %csum = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %0 = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %window : tensor<1x4x4x1xf32>, tensor<2x2xf32>) outs(%cmax : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %1 = linalg.pooling_nhwc_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %window : tensor<1x4x4x1xf32>, tensor<2x2xf32>) outs(%csum : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  return %0, %1 : tensor<1x2x2x1xf32>, tensor<1x2x2x1xf32>
}

// Elementwise named ops, transpose, broadcast, copy.
// ELEM: result 0: tensor<2x2xf32> = {{\[\[}}11, 22], [33, 44]]
// ELEM: result 1: tensor<2x2xf32> = {{\[\[}}10, 20], [3, 40]]
// ELEM: result 2: tensor<3x2xi8> = {{\[\[}}1, 4], [2, 5], [3, 6]]
// ELEM: result 3: tensor<2x3xi8> = {{\[\[}}7, 8, 9], [7, 8, 9]]
// ELEM: result 4: tensor<2x3xi8> = {{\[\[}}1, 2, 3], [4, 5, 6]]
func.func @elementwise() -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<3x2xi8>, tensor<2x3xi8>, tensor<2x3xi8>) {
  %a = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = arith.constant dense<[[10.0, 20.0], [30.0, 40.0]]> : tensor<2x2xf32>
  %c = arith.constant dense<[[10.0, 20.0], [-30.0, 40.0]]> : tensor<2x2xf32>
  %e = tensor.empty() : tensor<2x2xf32>
  %0 = linalg.add ins(%a, %b : tensor<2x2xf32>, tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %1 = linalg.max ins(%a, %c : tensor<2x2xf32>, tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %m = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi8>
  %et = tensor.empty() : tensor<3x2xi8>
  %2 = linalg.transpose ins(%m : tensor<2x3xi8>) outs(%et : tensor<3x2xi8>) permutation = [1, 0]
  %v = arith.constant dense<[7, 8, 9]> : tensor<3xi8>
  %eb = tensor.empty() : tensor<2x3xi8>
  %3 = linalg.broadcast ins(%v : tensor<3xi8>) outs(%eb : tensor<2x3xi8>) dimensions = [0]
  %4 = linalg.copy ins(%m : tensor<2x3xi8>) outs(%eb : tensor<2x3xi8>) -> tensor<2x3xi8>
  return %0, %1, %2, %3, %4 : tensor<2x2xf32>, tensor<2x2xf32>, tensor<3x2xi8>, tensor<2x3xi8>, tensor<2x3xi8>
}

// linalg.generic: a row-sum reduction into an init of 100, linalg.index
// (out[i][j] = 10 * i + j), a gather through tensor.extract of a captured
// tensor, and a two-result op.
// GENERIC: result 0: tensor<2xi32> = [106, 115]
// GENERIC: result 1: tensor<2x3xindex> = {{\[\[}}0, 1, 2], [10, 11, 12]]
// GENERIC: result 2: tensor<3xf32> = [30, 10, 20]
// GENERIC: result 3: tensor<2xi32> = [6, 15]
// GENERIC: result 4: tensor<2xi32> = [3, 6]
func.func @generic() -> (tensor<2xi32>, tensor<2x3xindex>, tensor<3xf32>, tensor<2xi32>, tensor<2xi32>) {
  %m = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %init = arith.constant dense<100> : tensor<2xi32>
  %0 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>],
                       iterator_types = ["parallel", "reduction"]}
      ins(%m : tensor<2x3xi32>) outs(%init : tensor<2xi32>) {
  ^bb0(%x: i32, %acc: i32):
    %s = arith.addi %x, %acc : i32
    linalg.yield %s : i32
  } -> tensor<2xi32>
  %ei = tensor.empty() : tensor<2x3xindex>
  %1 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      outs(%ei : tensor<2x3xindex>) {
  ^bb0(%out: index):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %ten = arith.constant 10 : index
    %t = arith.muli %i, %ten : index
    %v = arith.addi %t, %j : index
    linalg.yield %v : index
  } -> tensor<2x3xindex>
  %table = arith.constant dense<[10.0, 20.0, 30.0]> : tensor<3xf32>
  %idx = arith.constant dense<[2, 0, 1]> : tensor<3xindex>
  %eg = tensor.empty() : tensor<3xf32>
  %2 = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
                       iterator_types = ["parallel"]}
      ins(%idx : tensor<3xindex>) outs(%eg : tensor<3xf32>) {
  ^bb0(%k: index, %out: f32):
    %v = tensor.extract %table[%k] : tensor<3xf32>
    linalg.yield %v : f32
  } -> tensor<3xf32>
  %zeros = arith.constant dense<0> : tensor<2xi32>
  %3:2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>,
                                          affine_map<(i, j) -> (i)>],
                         iterator_types = ["parallel", "reduction"]}
      ins(%m : tensor<2x3xi32>) outs(%zeros, %zeros : tensor<2xi32>, tensor<2xi32>) {
  ^bb0(%x: i32, %sum: i32, %max: i32):
    %s = arith.addi %x, %sum : i32
    %mx = arith.maxsi %x, %max : i32
    linalg.yield %s, %mx : i32, i32
  } -> (tensor<2xi32>, tensor<2xi32>)
  return %0, %1, %2, %3#0, %3#1 : tensor<2xi32>, tensor<2x3xindex>, tensor<3xf32>, tensor<2xi32>, tensor<2xi32>
}

// linalg.map and linalg.reduce, and a generic on dynamically shaped tensors.
// MAPRED: result 0: tensor<3xf32> = [2, 4, 6]
// MAPRED: result 1: tensor<3xf32> = [5, 7, 9]
// MAPRED: result 2: tensor<3xf32> = [1, 4, 9]
func.func @map_reduce() -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %a = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %e = tensor.empty() : tensor<3xf32>
  %0 = linalg.map { arith.addf } ins(%a, %a : tensor<3xf32>, tensor<3xf32>) outs(%e : tensor<3xf32>)
  %m = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %zero = arith.constant 0.0 : f32
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<3xf32>) -> tensor<3xf32>
  %1 = linalg.reduce { arith.addf } ins(%m : tensor<2x3xf32>) outs(%z : tensor<3xf32>) dimensions = [0]
  %d = tensor.cast %a : tensor<3xf32> to tensor<?xf32>
  %c1 = arith.constant 0 : index
  %n = tensor.dim %d, %c1 : tensor<?xf32>
  %ed = tensor.empty(%n) : tensor<?xf32>
  %sq = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
                        iterator_types = ["parallel"]}
      ins(%d : tensor<?xf32>) outs(%ed : tensor<?xf32>) {
  ^bb0(%x: f32, %out: f32):
    %p = arith.mulf %x, %x : f32
    linalg.yield %p : f32
  } -> tensor<?xf32>
  %2 = tensor.cast %sq : tensor<?xf32> to tensor<3xf32>
  return %0, %1, %2 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// Indexing maps that are not projected permutations: a floordiv upsampling
// (out[i] = in[i floordiv 2]) and a reversal (out[i] = in[2 - i]).
// RUN: potq-run %s --entry=affine_maps --print | FileCheck %s --check-prefix=AFFINE
// AFFINE: result 0: tensor<6xi32> = [1, 1, 2, 2, 3, 3]
// AFFINE: result 1: tensor<3xi32> = [3, 2, 1]
func.func @affine_maps() -> (tensor<6xi32>, tensor<3xi32>) {
  %a = arith.constant dense<[1, 2, 3]> : tensor<3xi32>
  %e6 = tensor.empty() : tensor<6xi32>
  %0 = linalg.generic {indexing_maps = [affine_map<(i) -> (i floordiv 2)>, affine_map<(i) -> (i)>],
                       iterator_types = ["parallel"]}
      ins(%a : tensor<3xi32>) outs(%e6 : tensor<6xi32>) {
  ^bb0(%x: i32, %out: i32):
    linalg.yield %x : i32
  } -> tensor<6xi32>
  %e3 = tensor.empty() : tensor<3xi32>
  %1 = linalg.generic {indexing_maps = [affine_map<(i) -> (2 - i)>, affine_map<(i) -> (i)>],
                       iterator_types = ["parallel"]}
      ins(%a : tensor<3xi32>) outs(%e3 : tensor<3xi32>) {
  ^bb0(%x: i32, %out: i32):
    linalg.yield %x : i32
  } -> tensor<3xi32>
  return %0, %1 : tensor<6xi32>, tensor<3xi32>
}
